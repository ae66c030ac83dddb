"""The language a person reads: one gettext catalogue for the whole product, lazy texts.

Every sentence a person reads is written in English as a gettext msgid through `T(...)`;
its Chinese lives in the one catalogue `server/translations/zh_Hans_CN/LC_MESSAGES/
messages.po` (Babel's format, shared with the console's flask-babel). Placeholders are `%(name)s`, as in the console's flask-babel texts. `T` returns a `Text`
that keeps the template and its parameters and renders only when it is read: in the locale
of `use_locale(...)` (the API sets it from Accept-Language, the console from its language
switch, the CLI from SCORECARD_LOCALE), else SCORECARD_LOCALE, else zh-CN.

Keys, names, paths and numbers are parameters, so they stay as they are in every language.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
ZH = "zh-CN"
EN = "en"
LOCALES = (ZH, EN)
DEFAULT_LOCALE = ZH
CATALOGUE_DIRS = {ZH: "zh_Hans_CN"}  # English is the msgid itself
ALIASES = {
    "zh": ZH,
    "zh-cn": ZH,
    "zh-hans": ZH,
    "zh-hans-cn": ZH,
    "zh_cn": ZH,
    "zh_hans": ZH,
    "zh_hans_cn": ZH,
    "en": EN,
    "en-us": EN,
    "en-gb": EN,
    "en_us": EN,
    "en_gb": EN,
}

_active: ContextVar[str | None] = ContextVar("scorecard_locale", default=None)


def normalize(tag: str | None) -> str | None:
    """A supported locale (zh-CN or en) for a language tag or alias, else None."""
    if not tag:
        return None
    tag = tag.strip().lower()
    if tag in ALIASES:
        return ALIASES[tag]
    primary = tag.replace("_", "-").split("-")[0]
    return ALIASES.get(primary) if primary in ("zh", "en") else None


def negotiate(accept_language: str | None) -> str | None:
    """The supported locale an Accept-Language header prefers most (q-values), else None."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        locale = normalize(tag)
        if locale is None or not 0 < quality <= 1:
            continue
        if best is None or quality > best[0]:
            best = (quality, position, locale)
    return best[2] if best else None


def configured_locale() -> str:
    """SCORECARD_LOCALE when it names a supported language, else zh-CN."""
    return normalize(os.environ.get("SCORECARD_LOCALE")) or DEFAULT_LOCALE


def current_locale() -> str:
    """The locale texts render in now."""
    return _active.get() or configured_locale()


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Render texts in `locale` (a tag or alias; None or unknown: the configured one)."""
    chosen = normalize(locale) or configured_locale()
    token = _active.set(chosen)
    try:
        yield chosen
    finally:
        _active.reset(token)


def set_locale(locale: str | None) -> str:
    """Set the locale for the rest of this context (a request); the one chosen."""
    chosen = normalize(locale) or configured_locale()
    _active.set(chosen)
    return chosen


def enter_locale(locale: str | None) -> Token[str | None]:
    """Set the locale until `leave_locale(token)` (a request's start and its teardown)."""
    return _active.set(normalize(locale) or configured_locale())


def leave_locale(token: Token[str | None]) -> None:
    """Restore the locale that was in force before `enter_locale` gave `token`."""
    _active.reset(token)


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of a locale (English: none, the msgid is the text)."""
    directory = CATALOGUE_DIRS.get(locale)
    po_path = TRANSLATIONS / directory / "LC_MESSAGES" / "messages.po" if directory else None
    if po_path is None or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def translate(template: str, locale: str | None = None) -> str:
    """The template in `locale` (default: the current one)."""
    return translations(locale or current_locale()).gettext(template)


@dataclass(frozen=True)
class Text:
    """A sentence to be read: a msgid and its parameters, rendered when it is read."""

    template: str
    params: tuple[tuple[str, Any], ...] = ()

    def render(self, locale: str | None = None) -> str:
        """The sentence in `locale` (default: the current one)."""
        locale = locale or current_locale()
        values = {
            name: value.render(locale) if isinstance(value, Text) else value
            for name, value in self.params
        }
        return (
            translate(self.template, locale) % values
            if values
            else translate(self.template, locale)
        )

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)

    def __contains__(self, part: str) -> bool:
        return part in self.render()

    def __add__(self, other: object) -> str:
        return self.render() + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + self.render()


def T(template: str, **params: Any) -> Text:  # noqa: N802 - the gettext convention
    """A sentence to be read, written in English with `%(name)s` placeholders."""
    return Text(template, tuple(params.items()))


def render(text: str | Text, locale: str | None = None) -> str:
    """A text as a string in `locale` (a plain string stays as it is)."""
    return text.render(locale) if isinstance(text, Text) else text
