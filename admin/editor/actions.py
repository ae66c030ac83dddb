"""Editor buttons (add a row, remove it, move it up) and the starting documents of drafts."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext

from admin.editor.fields import items

LIST_SECTIONS = ("dimensions", "indicators", "adjustments", "rating", "streaks", "examples")
MAP_SECTIONS = ("inputs", "raters")
SUBLISTS = {
    ("indicators", "points"),
    ("indicators", "bands"),
    ("adjustments", "weights"),
    ("adjustments", "scores"),
}
STANDARD_BANDS = [
    {"key": "excellent", "label": "优秀", "min": 90, "bonus_multiplier": 1.5},
    {"key": "good", "label": "良好", "min": 80, "bonus_multiplier": 1.2},
    {"key": "pass", "label": "合格", "min": 70, "bonus_multiplier": 1.0},
    {"key": "fail", "label": "不合格", "min": 0, "bonus_multiplier": 0.5},
]


def blank_document(role: str, name: str, period: str = "quarter") -> dict[str, Any]:
    """A small valid ruleset to start a draft from nothing."""
    return {
        "role": role,
        "name": name,
        "language": "zh-CN",
        "period": period,
        "precision": 2,
        "inputs": {
            "actual_sales": {"type": "number", "min": 0, "label": "实际销售额", "unit": "元"},
            "target_sales": {"type": "number", "min": 0, "label": "目标销售额", "unit": "元"},
        },
        "dimensions": [{"key": "results", "name": "业绩结果"}],
        "indicators": [
            {
                "key": "sales_attainment",
                "name": "销售额达成率",
                "dimension": "results",
                "formula": "actual_sales / target_sales * 100",
                "weight": 100,
            }
        ],
        "rating": copy.deepcopy(STANDARD_BANDS),
    }


def _fresh(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


def _keys(document: Mapping[str, Any], section: str) -> set[str]:
    return {str(i.get("key")) for i in items(document, section)}


def new_item(document: Mapping[str, Any], section: str) -> dict[str, Any]:
    """A new row of a list section, filled so HR sees what to change."""
    dims = [str(d.get("key")) for d in items(document, "dimensions")]
    bands = [str(b.get("key")) for b in items(document, "rating")]
    key = _fresh(
        {"rating": "band", "streaks": "streak"}.get(section, section.rstrip("s")),
        _keys(document, section),
    )
    if section == "dimensions":
        return {"key": key, "name": gettext("New dimension")}
    if section == "indicators":
        return {
            "key": key,
            "name": gettext("New indicator"),
            "dimension": dims[0] if dims else "",
            "formula": "0",
            "weight": 0,
        }
    if section == "adjustments":
        return {"key": key, "name": gettext("New adjustment"), "when": "True", "total": {"add": 0}}
    if section == "rating":
        return {"key": key, "label": gettext("New band"), "min": 0, "bonus_multiplier": 1}
    if section == "streaks":
        return {
            "key": key,
            "label": gettext("New streak"),
            "rating": bands[0] if bands else "",
            "count": 2,
        }
    names = {str(e.get("name")) for e in items(document, "examples")}
    n = len(names) + 1
    while f"{gettext('Example')} {n}" in names:
        n += 1
    return {
        "name": f"{gettext('Example')} {n}",
        "inputs": {},
        "expect": {"total": 0, "rating": bands[-1] if bands else ""},
    }


def _sub_item(document: Mapping[str, Any], parent: dict[str, Any], kind: str) -> None:
    indicators = [str(i.get("key")) for i in items(document, "indicators")]
    if kind == "points":
        points = parent.setdefault("scoring", {"type": "linear"}).setdefault("points", [])
        last = (
            points[-1]
            if points and isinstance(points[-1], list) and len(points[-1]) == 2
            else [0, 0]
        )
        x = last[0] + 10 if isinstance(last[0], int | float) else 0
        points.append([x, last[1]])
    elif kind == "bands":
        parent.setdefault("scoring", {"type": "bands"}).setdefault("bands", []).append(
            {"min": 0, "score": 0}
        )
    elif kind == "weights":
        weights = parent.setdefault("weights", {})
        free = [k for k in indicators if k not in weights] or [_fresh("indicator", set(weights))]
        weights[free[0]] = 0
    elif kind == "scores":
        scores = parent.setdefault("scores", {})
        free = [k for k in indicators if k not in scores] or [_fresh("indicator", set(scores))]
        scores[free[0]] = {"deduct": 0}


def _as_rows(document: dict[str, Any], section: str) -> list[Any]:
    value = document.get(section)
    if section in MAP_SECTIONS:
        return list(value.items()) if isinstance(value, dict) else []
    return list(value) if isinstance(value, list) else []


def _store_rows(document: dict[str, Any], section: str, rows: list[Any]) -> None:
    document[section] = dict(rows) if section in MAP_SECTIONS else rows


def apply(document: dict[str, Any], action: str) -> bool:
    """Apply an editor button (`add:indicators`, `remove:indicators:2:points:1`, `up:rating:3`)."""
    verb, _, target = action.partition(":")
    parts = target.split(":") if target else []
    if verb not in ("add", "remove", "up") or not parts:
        return False
    section = parts[0]
    if section not in LIST_SECTIONS + MAP_SECTIONS:
        return False
    rows = _as_rows(document, section)
    if len(parts) >= 3 and (section, parts[2]) in SUBLISTS and parts[1].isdigit():
        return _apply_sub(document, verb, rows, int(parts[1]), parts[2], parts[3:])
    if verb == "add" and len(parts) == 1:
        if section == "inputs":
            rows.append((_fresh("input", {k for k, _ in rows}), {"type": "number"}))
        elif section == "raters":
            rows.append((_fresh("rater", {k for k, _ in rows}), 10))
        else:
            rows.append(new_item(document, section))
    elif len(parts) == 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
        i = int(parts[1])
        if verb == "remove":
            rows.pop(i)
        elif verb == "up" and i > 0:
            rows[i - 1], rows[i] = rows[i], rows[i - 1]
    else:
        return False
    _store_rows(document, section, rows)
    return True


def _apply_sub(
    document: dict[str, Any], verb: str, rows: list[Any], i: int, kind: str, rest: list[str]
) -> bool:
    if i >= len(rows) or not isinstance(rows[i], dict):
        return False
    parent = rows[i]
    if verb == "add":
        _sub_item(document, parent, kind)
        return True
    if verb != "remove" or not rest or not rest[0].isdigit():
        return False
    j = int(rest[0])
    if kind in ("points", "bands"):
        sub = (parent.get("scoring") or {}).get(kind)
        if isinstance(sub, list) and j < len(sub):
            sub.pop(j)
            return True
        return False
    mapping = parent.get(kind)
    if isinstance(mapping, dict) and j < len(mapping):
        mapping.pop(list(mapping)[j])
        if not mapping:
            parent.pop(kind)
        return True
    return False
