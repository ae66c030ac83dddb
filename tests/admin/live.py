"""A real console server for browser tests and screenshots: a werkzeug server thread on a free
127.0.0.1 port over a temporary SQLite database, and headless Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from admin import auth
from server import create_app, storage
from server.config import TestingConfig
from server.services import api_keys, publishing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORDS = {"hr": "hr-password-123", "auditor": "auditor-password-1", "admin": "admin-password-12"}


@dataclass
class LiveServer:
    """A running server: its base URL, its app, and an API key with every scope."""

    url: str
    app: Flask
    api_key: str


@contextmanager
def live_server(
    database: Path, documents: list[tuple[dict[str, Any], str, str]]
) -> Iterator[LiveServer]:
    """Serve a fresh app on `database` with `documents` published (document, effective_from, note)."""
    app = create_app(TestingConfig(f"sqlite:///{database}"))
    with app.app_context():
        storage.create_tables()
        for document, effective_from, note in documents:
            publishing.publish(document["role"], document, effective_from, note, "system")
        for role, password in PASSWORDS.items():
            auth.create_user(role, password, role, "system")
        _, key = api_keys.create_key("browser-tests", ["evaluate", "read", "publish"], "system")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, key)
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
        storage.dispose()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright's sync API (no browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():  # fail loudly: a missing install must not pass as a skip
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Any, base: str, username: str) -> None:
    """Log in through the login form."""
    page.goto(f"{base}/admin/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("#login-submit")
    page.wait_for_selector("#current-user")
