"""Adjustments (SPEC §3.4): their `when` compiled, what it reads, and their effects."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .. import wording
from ..language import T
from ..model import Adjustment, Indicator, InputSpec
from ..problems import Problems, pointer
from .reading import is_number, items, mapping
from .scopes import compile_formula, names_read, scope


def read_adjustments(
    document: Mapping,
    inputs: Mapping[str, InputSpec],
    indicators: tuple[Indicator, ...],
    runtime: Mapping[str, Callable],
    problems: Problems,
) -> tuple[Adjustment, ...]:
    """The compiled adjustments in document order."""
    compiled = {ind.key: ind for ind in indicators}
    declared = {item["key"] for _, item in items(document, "indicators")
                if isinstance(item.get("key"), str)}  # fmt: skip
    bands = {
        item["key"] for _, item in items(document, "rating") if isinstance(item.get("key"), str)
    }
    result = []
    for i, item in items(document, "adjustments"):
        key = item.get("key")
        if not isinstance(key, str):
            continue
        who = wording.adjustment(key, item.get("name"))
        weights = mapping(item.get("weights"))
        has_weights = bool(weights)
        when = None
        if has_weights and (read := names_read(item.get("when"), declared)):
            problems.error(
                pointer("adjustments", i, "when"),
                wording.about(
                    who,
                    T(
                        "an adjustment that changes weights decides them before any indicator is "
                        "computed, so its `when` may read only inputs, period_start and "
                        "period_end, not %(names)s; test the inputs instead, or move the weights "
                        "out",
                        names=", ".join(repr(k) for k in sorted(read)),
                    ),
                ),
            )
            continue
        if "when" in item:
            done = compile_formula(
                item.get("when"),
                scope(inputs, set() if has_weights else declared),
                pointer("adjustments", i, "when"),
                who,
                problems,
                False,
                runtime,
            )
            if done is None:
                continue
            when = done
        for field_name in ("weights", "scores"):
            for name in mapping(item.get(field_name)):
                if name not in declared:
                    problems.error(
                        pointer("adjustments", i, field_name, name),
                        wording.about(
                            who,
                            T(
                                "%(name)r is not an indicator; use one of %(keys)s",
                                name=name,
                                keys=wording.keys(declared),
                            ),
                        ),
                    )
        rating = mapping(item.get("rating"))
        for op, band in rating.items():
            if isinstance(band, str) and band not in bands:
                problems.error(
                    pointer("adjustments", i, "rating", op),
                    wording.about(who, T("rating %(band)r is not a rating band key", band=band)),
                )
        names = when[0].names if when else frozenset()
        read_indicators = _closure({n for n in names if n in declared}, compiled)
        via = set(n for n in names if n in inputs)
        for name in read_indicators:
            if name in compiled:
                via |= compiled[name].inputs
        total = mapping(item.get("total"))
        result.append(Adjustment(
            index=i, key=key, name=item.get("name") or key,
            when=when[0] if when else None, when_fn=when[1] if when else None,
            inputs=frozenset(via), indicators=read_indicators,
            weights={k: float(v) for k, v in weights.items() if is_number(v)},
            scores={k: next(iter(v.items())) for k, v in mapping(item.get("scores")).items()
                    if isinstance(v, dict) and len(v) == 1},
            total=next(iter(total.items())) if len(total) == 1 else None,
            rating=next(iter(rating.items()))
            if len(rating) == 1 and all(isinstance(b, str) and b in bands for b in rating.values())
            else None,
        ))  # fmt: skip
    return tuple(result)


def _closure(keys: set[str], indicators: Mapping[str, Indicator]) -> frozenset[str]:
    """The indicators named and every indicator they read, directly or not."""
    found, todo = set(), list(keys)
    while todo:
        key = todo.pop()
        if key not in found:
            found.add(key)
            if key in indicators:
                todo.extend(indicators[key].depends)
    return frozenset(found)
