"""Languages of the console: Simplified Chinese by default, English on request (flask-babel).

The catalogue is the product's one, server/translations/<locale>/LC_MESSAGES/messages.po; the compiled .mo
files are not tracked (.gitignore): `make install` compiles them, and start-up rebuilds any
that is missing or no longer matches its .po.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, request, session
from flask_babel import Babel, get_babel

from server.engine.language import TRANSLATIONS, set_locale

LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_Hans_CN"
CONSOLE_PREFIX = "/admin"
ALIASES = {
    "zh": "zh_Hans_CN",
    "zh_CN": "zh_Hans_CN",
    "zh-CN": "zh_Hans_CN",
    "zh_Hans": "zh_Hans_CN",
    "en_US": "en",
    "en-US": "en",
    "en_GB": "en",
}


def N_(message: str) -> str:
    """Mark a word for extraction; it is translated where it is shown (by its value)."""
    return message


# words shown by value (period kinds, scoring types, operations, statuses, job states)
WORDS = (
    N_("month"),
    N_("quarter"),
    N_("half"),
    N_("year"),
    N_("deduct"),
    N_("add"),
    N_("cap"),
    N_("floor"),
    N_("set"),
    N_("multiply"),
    N_("added"),
    N_("removed"),
    N_("changed"),
    N_("scored"),
    N_("skipped"),
    N_("left_out"),
    N_("queued"),
    N_("checking"),
    N_("storing"),
    N_("done"),
    N_("failed"),
)


def normalize(language: str | None) -> str | None:
    """A supported language code for a code or an alias, else None."""
    if not language:
        return None
    language = ALIASES.get(language, language)
    return language if language in LANGUAGES else None


def select_locale() -> str:
    """The session's choice, else the configured default (SCORECARD_LOCALE), else Chinese."""
    chosen = normalize(session.get("console_lang")) if request else None
    return chosen or normalize(current_app.config.get("LOCALE")) or DEFAULT_LANGUAGE


def engine_locale() -> str:
    """The console's language as the engine's locale tag (zh-CN or en)."""
    return "en" if select_locale() == "en" else "zh-CN"


def use_console_locale() -> None:
    """Render the engine's and the services' texts (validation and import problems) on a
    console page in the console's language, not the browser's Accept-Language."""
    if request.path.startswith(CONSOLE_PREFIX):
        set_locale(select_locale())  # the API's teardown (server/api/locale.py) restores it


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Rebuild every .mo that is missing or differs from its .po; the .mo files written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        if mo_path.exists() and mo_path.read_bytes() == compiled.getvalue():
            continue  # up to date (compiled at install or an earlier start)
        try:
            mo_path.write_bytes(compiled.getvalue())
        except OSError:
            continue  # a read-only install keeps the .mo compiled at install
        written.append(mo_path)
    return written


def init_app(app: Flask) -> None:
    """Attach flask-babel (or add our catalogs to an existing set-up)."""
    compile_catalogs()
    app.before_request(use_console_locale)
    if "babel" not in app.extensions:
        Babel(
            app,
            locale_selector=select_locale,
            default_locale=DEFAULT_LANGUAGE,
            default_translation_directories=str(TRANSLATIONS),
        )
        return
    with app.app_context():
        directories = get_babel().translation_directories
        if str(TRANSLATIONS) not in directories:
            directories.append(str(TRANSLATIONS))
