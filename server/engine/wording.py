"""The recurring parts of the engine's sentences, each a T() text of the one catalogue: who a
problem is about (`indicator sales_attainment (销售额达成率)`), a sentence about someone, a
list of keys. Keys and names are parameters, so they stay as they are in every language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .language import T, Text


def _named(key: Any, name: Any) -> bool:
    return isinstance(name, str) and bool(name) and name != str(key)


def indicator(key: Any, name: Any = None) -> Text:
    """`indicator KEY (NAME)`."""
    if _named(key, name):
        return T("indicator %(key)s (%(name)s)", key=key, name=name)
    return T("indicator %(key)s", key=key)


def adjustment(key: Any, name: Any = None) -> Text:
    """`adjustment KEY (NAME)`."""
    if _named(key, name):
        return T("adjustment %(key)s (%(name)s)", key=key, name=name)
    return T("adjustment %(key)s", key=key)


def dimension(key: Any, name: Any = None) -> Text:
    """`dimension KEY (NAME)`."""
    if _named(key, name):
        return T("dimension %(key)s (%(name)s)", key=key, name=name)
    return T("dimension %(key)s", key=key)


def rating_band(key: Any, label: Any = None) -> Text:
    """`rating band KEY (LABEL)`."""
    if _named(key, label):
        return T("rating band %(key)s (%(name)s)", key=key, name=label)
    return T("rating band %(key)s", key=key)


def streak(key: Any, label: Any = None) -> Text:
    """`streak KEY (LABEL)`."""
    if _named(key, label):
        return T("streak %(key)s (%(name)s)", key=key, name=label)
    return T("streak %(key)s", key=key)


def example(name: Any) -> Text:
    """`example 'NAME'`."""
    return T("example %(name)r", name=name)


def input_named(name: Any) -> Text:
    """`input NAME`."""
    return T("input %(name)s", name=name)


def item_number(list_name: str, number: int) -> Text:
    """The n-th item (1-based) of a document list whose key is not known."""
    words = {
        "indicators": lambda: T("indicator #%(n)s", n=number),
        "dimensions": lambda: T("dimension #%(n)s", n=number),
        "adjustments": lambda: T("adjustment #%(n)s", n=number),
        "rating": lambda: T("rating band #%(n)s", n=number),
        "streaks": lambda: T("streak #%(n)s", n=number),
        "examples": lambda: T("example #%(n)s", n=number),
    }
    return words[list_name]()


ITEMS = {
    "indicators": indicator,
    "dimensions": dimension,
    "adjustments": adjustment,
    "rating": rating_band,
    "streaks": streak,
}


def about(who: Text, message: Text) -> Text:
    """`WHO: MESSAGE`, a sentence about someone."""
    return T("%(who)s: %(message)s", who=who, message=message)


def keys(names: Iterable[Any]) -> str:
    """Keys as a list (keys are not translated)."""
    return ", ".join(str(name) for name in names)


def either(texts: Iterable[Text]) -> Text:
    """`A or B or C`."""
    found = list(texts)
    result = found[0]
    for text in found[1:]:
        result = T("%(first)s or %(second)s", first=result, second=text)
    return result
