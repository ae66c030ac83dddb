"""Settings, read from SCORECARD_* environment variables when a config object is built."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

MAX_BODY_BYTES = 16 * 1024 * 1024  # SPEC §5: a body over 16 MiB is 413
MAX_BATCH_ITEMS = 10_000  # SPEC §5: a batch over 10,000 items is 413


def _instance_secret() -> str:
    """A secret key kept in instance/secret_key, created once and shared by every worker."""
    path = INSTANCE_DIR / "secret_key"
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(48)
        handle.write(key)
    return key


def database_url() -> str:
    """SCORECARD_DATABASE_URL, or the SQLite file instance/scorecard.db."""
    return os.environ.get("SCORECARD_DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'scorecard.db'}"


class Config:
    """Production settings; every value can come from the environment."""

    TESTING = False
    MAX_CONTENT_LENGTH = MAX_BODY_BYTES
    MAX_BATCH_ITEMS = MAX_BATCH_ITEMS
    JSON_SORT_KEYS = False
    # argon2-cffi PasswordHasher parameters for API keys ({} means the library's defaults)
    ARGON2_PARAMETERS: dict[str, int] = {}
    # how many reverse proxies in front set X-Forwarded-For/-Proto/-Host (0: trust none)
    PROXY_FIX = 0

    def __init__(self) -> None:
        env = os.environ
        self.DATABASE_URL: str = database_url()
        self.SECRET_KEY: str = env.get("SCORECARD_SECRET_KEY") or _instance_secret()
        self.LOCALE: str = env.get("SCORECARD_LOCALE") or "zh_CN"
        self.PROXY_FIX = proxy_count(env.get("SCORECARD_PROXY_FIX", ""))
        self.PUBLISH_APPROVAL = publish_approval(env.get("SCORECARD_PUBLISH_APPROVAL", ""))


def proxy_count(text: str) -> int:
    """SCORECARD_PROXY_FIX: the number of trusted proxies ("" is none); ValueError otherwise."""
    text = text.strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()) or int(text) > 10:
        raise ValueError(f"SCORECARD_PROXY_FIX must be a number of proxies (0-10), not {text!r}")
    return int(text)


def publish_approval(text: str) -> str:
    """SCORECARD_PUBLISH_APPROVAL (SPEC §12): `required` (every change is proposed and approved
    by another person) or `optional` (the default, also for ""); ValueError otherwise, so that a
    misspelt `required` never opens direct publishing."""
    value = text.strip().lower() or "optional"
    if value not in ("required", "optional"):
        raise ValueError(
            f"SCORECARD_PUBLISH_APPROVAL must be required or optional, not {text.strip()!r}"
        )
    return value


def approval_required(config: Mapping[str, Any]) -> bool:
    """Whether an app's config demands approval for every ruleset change."""
    return config.get("PUBLISH_APPROVAL") == "required"


class TestingConfig(Config):
    """Settings for tests: a given database, cheap key hashing, a fixed secret."""

    __test__ = False  # not a pytest test class, despite its name
    TESTING = True
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}

    def __init__(self, database_url: str) -> None:
        self.DATABASE_URL = database_url
        self.SECRET_KEY = "testing-secret"
        self.LOCALE = "zh_CN"
        self.PUBLISH_APPROVAL = publish_approval(os.environ.get("SCORECARD_PUBLISH_APPROVAL", ""))
