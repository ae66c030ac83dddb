"""Golden examples in the editor: what each one gives now against what it expects, and
taking the current result as the expected one (HR sees the old and new numbers first)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from admin.editor.fields import items
from server.engine import DocumentInvalid, SubmissionRejected, compile_ruleset
from server.engine.validate import example_period


@dataclass
class Outcome:
    """One example: its expected numbers and those the draft gives now."""

    index: int
    name: str
    expected_total: Any
    current_total: Any
    expected_rating: Any
    current_rating: str
    current_rating_label: str
    expected_rating_label: str
    indicators: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # key, name, old, new
    bonus: tuple[Any, Any] | None = None  # old, new (when the example expects one)
    outcomes: tuple[Any, list[str]] | None = None

    @property
    def reproduces(self) -> bool:
        return (
            self.expected_total == self.current_total
            and self.expected_rating == self.current_rating
            and all(old == new for _, _, old, new in self.indicators)
            and (self.bonus is None or self.bonus[0] == self.bonus[1])
            and (self.outcomes is None or list(self.outcomes[0] or []) == self.outcomes[1])
        )


def outcomes(document: Mapping[str, Any]) -> dict[int, Outcome]:
    """Each example that can be evaluated (the draft compiles, the inputs are accepted)."""
    try:
        compiled = compile_ruleset(document)
    except (DocumentInvalid, ValueError, TypeError):
        return {}
    bands = {
        str(b.get("key")): str(b.get("label") or b.get("key")) for b in items(document, "rating")
    }
    names = {
        str(i.get("key")): str(i.get("name") or i.get("key")) for i in items(document, "indicators")
    }
    found = {}
    for n, example in enumerate(items(document, "examples")):
        if compiled.reads_period and not example.get("period"):
            continue
        try:
            result = compiled.evaluate(
                example.get("inputs") or {},
                example_period(example, compiled),
                history=example.get("history") or {},
                explain=False,
            )
        except (SubmissionRejected, ValueError, TypeError):
            continue
        expect = example.get("expect") if isinstance(example.get("expect"), dict) else {}
        scores = {ind["key"]: ind["score"] for ind in result["indicators"]}
        wanted = expect.get("indicators") if isinstance(expect.get("indicators"), dict) else {}
        outcome = Outcome(
            n,
            str(example.get("name") or n + 1),
            expect.get("total"),
            result["total"],
            expect.get("rating"),
            result["rating"]["key"],
            result["rating"]["label"],
            bands.get(str(expect.get("rating")), str(expect.get("rating") or "")),
            [(k, names.get(k, k), v, scores.get(k)) for k, v in wanted.items() if k in scores],
        )
        if "bonus_multiplier" in expect:
            outcome.bonus = (expect["bonus_multiplier"], result["bonus_multiplier"])
        if "outcomes" in expect:
            outcome.outcomes = (expect["outcomes"], [o["key"] for o in result["outcomes"]])
        found[n] = outcome
    return found


def accept(document: dict[str, Any], index: int) -> bool:
    """Make example `index` expect what the draft gives now; False when it cannot be evaluated."""
    outcome = outcomes(document).get(index)
    if outcome is None:
        return False
    example = items(document, "examples")[index]
    expect = example.setdefault("expect", {})
    expect["total"], expect["rating"] = outcome.current_total, outcome.current_rating
    for key, _, _, new in outcome.indicators:
        expect["indicators"][key] = new
    if outcome.bonus is not None:
        expect["bonus_multiplier"] = outcome.bonus[1]
    if outcome.outcomes is not None:
        expect["outcomes"] = outcome.outcomes[1]
    return True
