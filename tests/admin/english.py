"""Finds English sentences in text a Chinese reader is shown.

Ignored: keys and code (anything with `_ . / ( ) = < > * + ' "` or digits: `sales_attainment`,
`actual_sales / target_sales * 100`, `2025-Q3`), numbers and units, e-mail addresses and URLs,
lists of keys (`evaluate, read, publish`), and a few names that stay as they are (English on
the language switch, YAML, CSV, API, ...).
What is left is English when two words in a row are English (`is not a number`), or a lone
capitalised word (`Details`, `Total`), which is a label left untranslated.
"""

from __future__ import annotations

import re

ALLOWED = {"English", "YAML", "CSV", "XLSX", "API", "HR", "IP", "JSON", "ID", "UTC", "PIP", "SMART"}
URL_OR_EMAIL = re.compile(r"\S+@\S+|https?://\S+")
CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef·•→←↑✕⚠×—–…“”‘’、，。：；（）！？《》【】]"
)
WORD = re.compile(r"[A-Za-z]+[,;:!?.]?")
NEUTRAL = re.compile(r"[-+]?[\d.,%]+|[-–—:|#/]|[A-Z]{1,5}\d*")


def english_sentences(text: str) -> list[str]:
    """The English runs in `text` (empty when a Chinese reader can read all of it)."""
    text = URL_OR_EMAIL.sub(" ", text)
    found = []
    for line in text.splitlines():
        for chunk in CJK.split(line):
            found.extend(_runs(chunk.split()))
    return found


def _runs(tokens: list[str]) -> list[str]:
    runs, current = [], []
    for token in tokens + [""]:
        if token and WORD.fullmatch(token) and token.rstrip(",;:!?.") not in ALLOWED:
            current.append(token)
            continue
        if token and NEUTRAL.fullmatch(token) and current:
            continue  # numbers and upper-case codes neither start nor end an English run
        if (
            len(current) >= 2
            and all(w.endswith(",") for w in current[:-1])
            and all(w.islower() for w in current)
        ):
            pass  # a list of keys (`evaluate, read, publish`)
        elif len(current) >= 2 or (
            len(current) == 1 and re.fullmatch(r"[A-Z][a-z]{2,}\W?", current[0])
        ):
            runs.append(" ".join(current))
        current = []
    return runs
