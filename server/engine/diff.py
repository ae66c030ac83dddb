"""Structured diff of two ruleset documents (SPEC §5 "Diff"), with a sentence per change.

Items of the keyed lists are matched by `key` (`examples` by `name`) and entries of
`inputs` and `raters` by name, so reordering is no change; any other list is a value
compared whole. Nested mappings recurse. Numbers compare as numbers (25 == 25.0), but a
boolean is never equal to a number.

Order: the document order of the new document at every level (top-level fields, list
items, mapping keys); something removed comes right after the surviving entry that
preceded it in the old document (first, when nothing did).

Odd input never raises: a non-dict document counts as `{}`; a list item without a usable
key (missing, not a string, all digits, or duplicated in that list) is named by its index
(`indicators/3`); a collection of the wrong type is one change at its field. Path
segments escape `~` and `/` as RFC 6901 does (`~0`, `~1`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from typing import Any

KEYED_LISTS: dict[str, str] = {
    "indicators": "key",
    "dimensions": "key",
    "adjustments": "key",
    "rating": "key",
    "streaks": "key",
    "examples": "name",
}
KEYED_MAPPINGS = frozenset({"inputs", "raters"})
LABEL_FIELDS: dict[str, str] = {
    "indicators": "name",
    "dimensions": "name",
    "adjustments": "name",
    "rating": "label",
    "streaks": "label",
}
KINDS = ("added", "removed", "changed")
ZH, EN = 0, 1
ARROW = " → "
MAX_DEPTH = 64  # deeper than any real ruleset: compare whole values beyond it
MAX_SUMMARY_VALUE = 120  # characters of a value shown in a summary; from/to keep it whole
INDEX_NAME = re.compile(r"[0-9]+")
# Paths (collection, sub-path) whose values are formula texts: they get a `diff`.
FORMULA_PATHS = frozenset(
    {
        ("indicators", ("formula",)),
        ("indicators", ("scoring", "formula")),
        ("adjustments", ("when",)),
    }
)
# Values that are keys of another collection, shown by that collection's labels.
REFERENCES: dict[tuple[str, tuple[str, ...]], str] = {
    ("indicators", ("dimension",)): "dimensions",
    ("streaks", ("rating",)): "rating",
    ("adjustments", ("rating", "max")): "rating",
    ("adjustments", ("rating", "set")): "rating",
    ("examples", ("expect", "rating")): "rating",
}
INDICATOR_KEY_PARENTS = frozenset({"weights", "scores", "indicators"})


def _vocabulary(table: str) -> dict[str, tuple[str, str]]:
    """Rows of `field | 中文 | English` -> {field: (中文, English)}."""
    rows = (line.split("|") for line in table.strip().splitlines())
    return {field.strip(): (zh.strip(), en.strip()) for field, zh, en in rows}


COLLECTION_WORDS = _vocabulary("""
    indicators | 指标 | indicator
    dimensions | 维度 | dimension
    adjustments | 调整 | adjustment
    rating | 评级 | rating
    streaks | 连续规则 | streak
    examples | 示例 | example
    inputs | 输入 | input
    raters | 评价人 | rater
""")
FIELD_WORDS = _vocabulary("""
    role | 角色 | role
    name | 名称 | name
    label | 名称 | label
    language | 语言 | language
    period | 考核周期 | period
    precision | 小数位数 | precision
    weight | 权重 | weight
    weights | 权重 | weights
    formula | 公式 | formula
    scoring | 计分 | scoring
    type | 类型 | type
    points | 计分点 | points
    bands | 分档 | bands
    else | 其余得分 | else score
    dimension | 维度 | dimension
    weight_range | 权重范围 | weight range
    min | 下限 | min
    max | 上限 | max
    bonus_multiplier | 奖金系数 | bonus multiplier
    when | 条件 | condition
    count | 次数 | count
    optional | 可选 | optional
    fallback | 缺省值 | fallback
    required | 必填 | required
    default | 默认值 | default
    enum | 可选值 | allowed values
    unit | 单位 | unit
    raters | 评价人 | raters
    scores | 得分 | scores
    total | 总分 | total
    rating | 评级 | rating
    deduct | 扣减 | deduct
    add | 加分 | add
    cap | 封顶 | cap
    floor | 保底 | floor
    set | 设为 | set
    multiply | 乘以 | multiply
    inputs | 输入 | inputs
    indicators | 指标 | indicators
    expect | 期望 | expected
    key | 键 | key
    description | 说明 | description
""")
# A word that depends on where the field is (a rating's `min` is a score, not a bound).
COLLECTION_FIELD_WORDS: dict[tuple[str, str], tuple[str, str]] = {
    ("rating", "min"): ("最低分", "minimum score"),
    ("raters", ""): ("权重", "weight"),
}
UNSET = ("未设置", "unset")
YES_NO = (("是", "否"), ("yes", "no"))
ADDED_WORD = ("新增", "Added")
REMOVED_WORD = ("删除", "Removed")

Path = tuple[str, ...]
RawChange = tuple[Path, str, Any, Any]


class _Missing:
    """An absent key, as opposed to a present null."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_START = _Missing()


def diff_documents(old: Any, new: Any) -> list[dict[str, Any]]:
    """The changes old -> new as SPEC §5 {path, kind, from, to, summary[, diff]}, in new order."""
    old_doc = old if isinstance(old, dict) else {}
    new_doc = new if isinstance(new, dict) else {}
    raw: list[RawChange] = []
    for field in _merged_order(list(old_doc), list(new_doc)):
        a, b = old_doc.get(field, MISSING), new_doc.get(field, MISSING)
        name = _segment(field)
        old_items, new_items = _collection(name, a), _collection(name, b)
        if old_items is None or new_items is None:
            raw.extend(_compare((name,), a, b, 1))
            continue
        for item in _merged_order(list(old_items), list(new_items)):
            raw.extend(
                _compare(
                    (name, item), old_items.get(item, MISSING), new_items.get(item, MISSING), 2
                )
            )
    lang = EN if _is_english(new_doc.get("language")) else ZH
    labels = _labels(old_doc, new_doc)
    return [_change(change, lang, labels) for change in raw]


def summarize_changes(changes: list[dict[str, Any]]) -> dict[str, int]:
    """How many changes of each kind: {added, removed, changed}."""
    counts = Counter(change.get("kind") for change in changes)
    return {kind: counts[kind] for kind in KINDS}


def _compare(path: Path, a: Any, b: Any, depth: int) -> list[RawChange]:
    if a is MISSING and b is MISSING:
        return []
    if a is MISSING:
        return [(path, "added", None, b)]
    if b is MISSING:
        return [(path, "removed", a, None)]
    if isinstance(a, dict) and isinstance(b, dict) and depth < MAX_DEPTH:
        changes: list[RawChange] = []
        for key in _merged_order(list(a), list(b)):
            sub = path + (_segment(key),)
            changes.extend(_compare(sub, a.get(key, MISSING), b.get(key, MISSING), depth + 1))
        return changes
    return [] if _same(a, b) else [(path, "changed", a, b)]


def _collection(field: str, value: Any) -> dict[str, Any] | None:
    """A keyed collection's items by name, or None when `field` is not one or is malformed."""
    if field not in KEYED_LISTS and field not in KEYED_MAPPINGS:
        return None
    if value is MISSING or value is None:
        return {}
    if field in KEYED_MAPPINGS:
        return {_segment(k): v for k, v in value.items()} if isinstance(value, dict) else None
    if not isinstance(value, list):
        return None
    keys = [_item_key(item, KEYED_LISTS[field]) for item in value]
    counts = Counter(k for k in keys if k is not None)
    return {
        _segment(k) if k is not None and counts[k] == 1 else str(i): item
        for i, (k, item) in enumerate(zip(keys, value, strict=True))
    }


def _item_key(item: Any, key_field: str) -> str | None:
    key = item.get(key_field) if isinstance(item, dict) else None
    if isinstance(key, str) and key and not INDEX_NAME.fullmatch(key):
        return key
    return None


def _segment(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _merged_order(old_names: list[Any], new_names: list[Any]) -> list[Any]:
    """New order; each removed name right after the surviving name before it in old order."""
    survivors = set(new_names)
    removed_after: dict[Any, list[Any]] = {}
    anchor: Any = _START
    for name in old_names:
        if name in survivors:
            anchor = name
        else:
            removed_after.setdefault(anchor, []).append(name)
    merged = list(removed_after.get(_START, []))
    for name in new_names:
        merged.append(name)
        merged.extend(removed_after.get(name, []))
    return merged


def _same(a: Any, b: Any) -> bool:
    """Deep equality where numbers compare as numbers and booleans only equal booleans."""
    stack, seen = [(a, b)], set()
    while stack:
        x, y = stack.pop()
        if isinstance(x, bool) or isinstance(y, bool):
            if type(x) is not type(y) or x != y:
                return False
        elif isinstance(x, int | float) and isinstance(y, int | float):
            if x != y and not (x != x and y != y):  # NaN equals NaN here
                return False
        elif (isinstance(x, dict) and isinstance(y, dict)) or (
            isinstance(x, list) and isinstance(y, list)
        ):
            if (id(x), id(y)) in seen:
                continue  # a self-referencing YAML alias: already being compared
            seen.add((id(x), id(y)))
            if isinstance(x, dict):
                if x.keys() != y.keys():
                    return False
                stack.extend((x[k], y[k]) for k in x)
            elif len(x) != len(y):
                return False
            else:
                stack.extend(zip(x, y, strict=True))
        elif type(x) is not type(y) or x != y:
            return False
    return True


def _is_english(language: Any) -> bool:
    return isinstance(language, str) and language.lower().startswith("en")


def _labels(old_doc: dict[str, Any], new_doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per collection, item name -> the label a person knows it by (the new document wins)."""
    labels: dict[str, dict[str, str]] = {}
    for doc in (old_doc, new_doc):
        for field in (*KEYED_LISTS, *KEYED_MAPPINGS):
            items = _collection(field, doc.get(field, MISSING)) or {}
            for name, item in items.items():
                labels.setdefault(field, {})[name] = _label(field, name, item)
    return labels


def _label(field: str, name: str, item: Any) -> str:
    text = (
        item.get(LABEL_FIELDS[field]) if field in LABEL_FIELDS and isinstance(item, dict) else None
    )
    if isinstance(text, str) and text.strip():
        return text
    if field in KEYED_LISTS and INDEX_NAME.fullmatch(name):
        text = item.get(KEYED_LISTS[field]) if isinstance(item, dict) else None
        return text if isinstance(text, str) and text.strip() else f"#{name}"
    return name


def _change(raw: RawChange, lang: int, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    path, kind, a, b = raw
    change: dict[str, Any] = {"path": "/".join(path), "kind": kind, "from": a, "to": b}
    change["summary"] = _summary(path, kind, a, b, lang, labels)
    if len(path) > 2 and (path[0], path[2:]) in FORMULA_PATHS:
        change["diff"] = list(
            difflib.unified_diff(_lines(a), _lines(b), change["path"], change["path"], lineterm="")
        )
    return change


def _summary(
    path: Path, kind: str, a: Any, b: Any, lang: int, labels: dict[str, dict[str, str]]
) -> str:
    head = path[0]
    if head not in COLLECTION_WORDS or len(path) == 1:
        words = _words(None, path, lang, labels)
        if lang == EN:
            words[0] = _capitalized(words[0])
        return f"{' '.join(words)} {_values(None, (), a, b, lang, labels)}"
    item, sub = path[1], path[2:]
    noun = COLLECTION_WORDS[head][lang]
    label = labels.get(head, {}).get(item, item)
    if not sub and kind != "changed":
        verb = (ADDED_WORD if kind == "added" else REMOVED_WORD)[lang]
        return f"{verb}{noun} {label}" if lang == ZH else f"{verb} {noun} {label}"
    subject = (
        label if head == "indicators" else f"{_capitalized(noun) if lang == EN else noun} {label}"
    )
    words = _words(head, sub, lang, labels)
    if not sub and (head, "") in COLLECTION_FIELD_WORDS:
        words = [COLLECTION_FIELD_WORDS[head, ""][lang]]
    text = " ".join([subject, *words])
    separator = ": " if (head, sub) in FORMULA_PATHS else " "
    return f"{text}{separator}{_values(head, sub, a, b, lang, labels)}"


def _words(head: str | None, sub: Path, lang: int, labels: dict[str, dict[str, str]]) -> list[str]:
    words = []
    for i, segment in enumerate(sub):
        parent = sub[i - 1] if i else None
        if parent in INDICATOR_KEY_PARENTS and head is not None:
            words.append(labels.get("indicators", {}).get(segment, segment))
        elif parent == "inputs":
            words.append(segment)
        else:
            word = (
                COLLECTION_FIELD_WORDS.get((head or "", segment))
                or FIELD_WORDS.get(segment)
                or (COLLECTION_WORDS.get(segment) if head is None else None)
            )
            words.append(word[lang] if word else segment)
    return words


def _values(
    head: str | None, sub: Path, a: Any, b: Any, lang: int, labels: dict[str, dict[str, str]]
) -> str:
    percent = (head == "indicators" and sub == ("weight",)) or (
        head == "adjustments" and len(sub) == 2 and sub[0] == "weights"
    )
    reference = labels.get(REFERENCES.get((head or "", sub), ""), {})

    def show(value: Any) -> str:
        if isinstance(value, str) and value in reference:
            return reference[value]
        text = _render(value, lang)
        if percent and isinstance(value, int | float) and not isinstance(value, bool):
            text += "%"
        return text

    return f"{show(a)}{ARROW}{show(b)}"


def _render(value: Any, lang: int) -> str:
    """A value as a person reads it, shortened to MAX_SUMMARY_VALUE characters."""
    if value is None:
        return UNSET[lang]
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, str):
        text = value
    else:
        try:
            text = str(value) if isinstance(value, int | float) else _json(value)
        except (TypeError, ValueError, RecursionError):  # e.g. an int too long to print
            text = f"<{type(value).__name__}>"
    if len(text) > MAX_SUMMARY_VALUE:
        text = text[: MAX_SUMMARY_VALUE - 1] + "…"
    return text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.splitlines()
    return [_render(value, EN)]


def _capitalized(word: str) -> str:
    return word[:1].upper() + word[1:]
