"""Every sentence written through T(...) has its Chinese in the one catalogue, and the
placeholders of each translation are the English text's own."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from server.engine.language import CATALOGUE_DIRS, TRANSLATIONS, ZH

ROOT = Path(__file__).resolve().parents[1]


def _msgids() -> dict[str, str]:
    """Each T("...") msgid in server/ and admin/, with where it was first written."""
    found: dict[str, str] = {}
    for package in ("server", "admin"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"T": None}
        ):
            if isinstance(message, str):
                found.setdefault(message, f"{package}/{filename}:{lineno}")
    return found


def _catalogue() -> dict[str, str]:
    path = TRANSLATIONS / CATALOGUE_DIRS[ZH] / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and isinstance(m.id, str)}


def _fields(template: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", template))


def test_every_sentence_has_its_chinese():
    catalogue = _catalogue()
    missing = [
        f"{where}: {msgid!r}" for msgid, where in _msgids().items() if not catalogue.get(msgid)
    ]
    assert not missing, "untranslated (add to messages.po):\n" + "\n".join(missing)


def test_translations_keep_the_placeholders():
    catalogue = _catalogue()
    wrong = [
        f"{msgid!r} -> {text!r}"
        for msgid, text in catalogue.items()
        if text and _fields(msgid) != _fields(text)
    ]
    assert not wrong, "\n".join(wrong)
