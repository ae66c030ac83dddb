"""Indicators: formulas and scoring compiled, what each reads, and their dependency order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from .. import formula as fml
from .. import wording
from ..language import T, Text
from ..model import Dimension, Indicator, InputSpec, Scoring
from ..problems import Problems, pointer
from .reading import is_number, items, text
from .scopes import compile_formula, scope


def read_indicators(
    document: Mapping,
    inputs: Mapping[str, InputSpec],
    dimensions: tuple[Dimension, ...],
    runtime: Mapping[str, Callable],
    problems: Problems,
) -> tuple[tuple[Indicator, ...], tuple[Indicator, ...]]:
    """The compiled indicators in document order and in dependency order (cycles reported)."""
    found = items(document, "indicators")
    keys = {item["key"] for _, item in found if isinstance(item.get("key"), str)}
    dimension_keys = {d.key for d in dimensions}
    compiled: list[Indicator] = []
    for i, item in found:
        key = item.get("key")
        if not isinstance(key, str):
            continue
        who = wording.indicator(key, item.get("name"))
        if isinstance(item.get("dimension"), str) and item["dimension"] not in dimension_keys:
            problems.error(
                pointer("indicators", i, "dimension"),
                wording.about(
                    who,
                    T(
                        "dimension %(key)r is not declared; use one of %(keys)s",
                        key=item["dimension"],
                        keys=", ".join(sorted(dimension_keys)),
                    ),
                ),
            )
        done = compile_formula(
            item.get("formula"),
            scope(inputs, keys - {key}),
            pointer("indicators", i, "formula"),
            who,
            problems,
            True,
            runtime,
        )
        scoring, scoring_names = _scoring(item, i, who, inputs, runtime, keys - {key}, problems)
        if done is None or scoring is None:
            continue
        checked, fn = done
        names = checked.names | scoring_names
        fallback = item.get("fallback")
        compiled.append(Indicator(
            index=i, key=key, name=text(item.get("name"), key),
            dimension=item["dimension"] if isinstance(item.get("dimension"), str) else "",
            weight=float(item["weight"]) if is_number(item.get("weight")) else 0.0,
            optional=item.get("optional") is True,
            fallback=float(fallback) if is_number(fallback) else None,
            formula=checked, fn=fn, scoring=scoring,
            inputs=frozenset(n for n in names if n in inputs),
            depends=frozenset(n for n in names if n in keys),
        ))  # fmt: skip
    order = _order(compiled, problems)
    return _with_transitive_inputs(compiled, order)


def _scoring(
    item: dict,
    i: int,
    who: Text,
    inputs: Mapping[str, InputSpec],
    runtime: Mapping[str, Callable],
    others: set[str],
    problems: Problems,
) -> tuple[Scoring | None, frozenset[str]]:
    """The indicator's scoring (SPEC §3.3) and the names a scoring formula reads."""
    spec = item.get("scoring")
    path = pointer("indicators", i, "scoring")
    if spec is None:
        return Scoring("clamp"), frozenset()
    if not isinstance(spec, dict):
        return None, frozenset()
    kind = spec.get("type")
    if kind == "linear":
        points = spec.get("points")
        if (
            not isinstance(points, list)
            or not all(
                isinstance(p, list) and len(p) == 2 and all(is_number(x) for x in p) for p in points
            )
            or len(points) < 2
        ):
            return None, frozenset()
        xs = [float(p[0]) for p in points]
        if any(b <= a for a, b in zip(xs, xs[1:])):
            problems.error(
                path + "/points",
                wording.about(
                    who,
                    T(
                        "the x values of points must be strictly ascending (%(values)s)",
                        values=str(xs),
                    ),
                ),  # fmt: skip
            )
            return None, frozenset()
        return Scoring("linear", xs=tuple(xs), ss=tuple(float(p[1]) for p in points)), frozenset()
    if kind == "bands":
        bands = spec.get("bands")
        if (
            not isinstance(bands, list)
            or not all(
                isinstance(b, dict) and is_number(b.get("min")) and is_number(b.get("score"))
                for b in bands
            )
            or not bands
        ):
            return None, frozenset()
        mins = [float(b["min"]) for b in bands]
        if any(b >= a for a, b in zip(mins, mins[1:])):
            problems.error(
                path + "/bands",
                wording.about(
                    who,
                    T("bands must be ordered by min, highest first (%(values)s)", values=str(mins)),
                ),
            )
            return None, frozenset()
        otherwise = spec.get("else", 0)
        pairs = tuple((float(b["min"]), float(b["score"])) for b in bands)
        return Scoring(
            "bands", bands=pairs, otherwise=float(otherwise) if is_number(otherwise) else 0.0
        ), frozenset()
    if kind == "formula":
        done = compile_formula(
            spec.get("formula"),
            scope(inputs, others, {"value": fml.NUMBER}),
            path + "/formula",
            T("%(indicator)s scoring", indicator=who),
            problems,
            True,
            runtime,
        )
        if done is None:
            return None, frozenset()
        checked, fn = done
        return Scoring("formula", formula=checked, fn=fn), checked.names - {"value"}
    return None, frozenset()


def _order(indicators: list[Indicator], problems: Problems) -> list[Indicator]:
    """Indicators in dependency order (document order among equals); cycles reported."""
    by_key = {ind.key: ind for ind in indicators}
    state: dict[str, int] = {}
    order: list[Indicator] = []

    def visit(ind: Indicator, trail: list[str]) -> None:
        if state.get(ind.key) == 2:
            return
        if state.get(ind.key) == 1:
            cycle = trail[trail.index(ind.key) :] + [ind.key]
            problems.error(
                pointer("indicators", ind.index, "formula"),
                wording.about(
                    wording.indicator(ind.key, ind.name),
                    T(
                        "formulas read each other in a cycle: %(cycle)s; break the cycle",
                        cycle=" → ".join(cycle),
                    ),
                ),
            )
            return
        state[ind.key] = 1
        for dep in sorted(ind.depends, key=lambda k: by_key[k].index if k in by_key else 0):
            if dep in by_key:
                visit(by_key[dep], trail + [ind.key])
        state[ind.key] = 2
        order.append(ind)

    for ind in indicators:
        visit(ind, [])
    return order


def _with_transitive_inputs(
    indicators: list[Indicator], order: list[Indicator]
) -> tuple[tuple[Indicator, ...], tuple[Indicator, ...]]:
    """Both lists with each indicator's `all_inputs`: read directly or through other indicators."""
    reads: dict[str, frozenset[str]] = {}
    for ind in order:
        found = set(ind.inputs)
        for dep in ind.depends:
            found |= reads.get(dep, frozenset())
        reads[ind.key] = frozenset(found)
    updated = {
        ind.key: replace(ind, all_inputs=reads.get(ind.key, ind.inputs)) for ind in indicators
    }
    return tuple(updated[ind.key] for ind in indicators), tuple(updated[ind.key] for ind in order)
