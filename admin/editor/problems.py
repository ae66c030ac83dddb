"""Validation problems (JSON pointers into the document) -> the form field they are about."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from admin.editor.fields import entries, items
from server.engine import Problem
from server.engine.language import render

TOP = "general"


def split_pointer(path: str) -> list[str]:
    """The parts of a JSON pointer, unescaped."""
    if not path:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]


def _index(names: list[str], name: str) -> int | None:
    return names.index(name) if name in names else None


def _keys(mapping: Any) -> list[str]:
    return [str(k) for k in mapping] if isinstance(mapping, dict) else []


def candidate(path: str, document: Mapping[str, Any]) -> str:
    """The most specific field name a problem path points at (it may not exist)."""
    parts = split_pointer(path)
    if not parts:
        return TOP
    head, rest = parts[0], parts[1:]
    if head in ("raters", "inputs"):
        names = [name for name, _ in entries(document, head)]
        i = _index(names, rest[0]) if rest else None
        if i is None:
            return head
        if head == "raters":
            return f"raters-{i}-weight"
        return f"inputs-{i}-{rest[1]}" if len(rest) > 1 else f"inputs-{i}-name"
    if head not in ("dimensions", "indicators", "adjustments", "rating", "streaks", "examples"):
        return (
            head
            if head in ("role", "name", "description", "language", "period", "precision")
            else TOP
        )
    if not rest or not rest[0].isdigit():
        return head
    i, props = int(rest[0]), rest[1:]
    base = f"{head}-{i}"
    if not props:
        return base
    prop = props[0]
    item = (items(document, head) + [{}] * (i + 1))[i]
    if head == "dimensions" and prop == "weight_range":
        return f"{base}-range_min"
    if head == "indicators" and prop == "scoring":
        return _scoring(base, props[1:])
    if head == "adjustments" and prop in ("weights", "scores"):
        j = _index(_keys(item.get(prop)), props[1]) if len(props) > 1 else None
        if j is None:
            return f"{base}-{prop}"
        return f"{base}-{prop}-{j}-" + ("weight" if prop == "weights" else "amount")
    if head == "adjustments" and prop in ("total", "rating"):
        return f"{base}-{prop}_op"
    if head == "examples":
        return _example(base, props)
    return f"{base}-{prop}"


def _scoring(base: str, parts: list[str]) -> str:
    if not parts or parts[0] == "type":
        return f"{base}-scoring_type"
    if parts[0] == "formula":
        return f"{base}-scoring_formula"
    if parts[0] == "else":
        return f"{base}-bands_else"
    if parts[0] in ("points", "bands") and len(parts) > 1 and parts[1].isdigit():
        if parts[0] == "points":
            return f"{base}-points-{parts[1]}-" + ("score" if parts[2:3] == ["1"] else "x")
        return f"{base}-bands-{parts[1]}-{parts[2] if len(parts) > 2 else 'min'}"
    return f"{base}-{parts[0]}"


def _example(base: str, props: list[str]) -> str:
    if props[0] == "inputs" and len(props) > 1:
        return f"{base}-inputs-" + "-".join(props[1:3])
    if props[0] == "expect" and len(props) > 1:
        if props[1] == "indicators" and len(props) > 2:
            return f"{base}-expect-{props[2]}"
        return f"{base}-expect_{props[1]}"
    return f"{base}-{props[0]}"


def place(name: str, known: set[str]) -> str:
    """The nearest known field or group: drop trailing parts until one exists."""
    while name and name not in known:
        name = name.rpartition("-")[0]
    return name or TOP


def known_names(values: Iterable[str]) -> set[str]:
    """Every field name and every group (prefix) it belongs to."""
    known = {TOP}
    for name in values:
        parts = name.split("-")
        for end in range(1, len(parts) + 1):
            known.add("-".join(parts[:end]))
    return known


SECTIONS = ("general", "raters", "inputs", "dimensions", "indicators", "adjustments")
SECTIONS += ("rating", "streaks", "examples")


def by_field(
    problems: Iterable[Problem],
    document: Mapping[str, Any],
    known: set[str],
    locale: str | None = None,
) -> dict[str, list[str]]:
    """Problem messages (in `locale`) grouped by the field (or group) each belongs beside."""
    found: dict[str, list[str]] = defaultdict(list)
    for name, message in listed(problems, document, known, locale):
        found[name].append(message)
    return dict(found)


def listed(
    problems: Iterable[Problem],
    document: Mapping[str, Any],
    known: set[str],
    locale: str | None = None,
) -> list[tuple[str, str]]:
    """(field or group, message in `locale`) for each problem, in the validator's order."""
    return [
        (place(candidate(p.path, document), known), render(p.message, locale)) for p in problems
    ]


def anchor(name: str) -> str:
    """The element id a problem's link jumps to: the field itself, else its section."""
    return f"sec-{name}" if name in SECTIONS else name
