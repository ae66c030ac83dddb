"""Weight rules (SPEC §3.5): base weights and every combination of weight adjustments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any, NamedTuple

from .. import wording
from ..language import T
from ..model import Adjustment, Dimension
from ..problems import Problems, pointer
from .reading import is_number, items


class WeightItem(NamedTuple):
    """What the weight rules need of an indicator, read from the document itself."""

    key: str
    dimension: str
    weight: float


def weight_items(document: Mapping[str, Any]) -> tuple[list[WeightItem], bool]:
    """The indicators' weights as written, and whether every keyed indicator has a usable one."""
    keyed = [item for _, item in items(document, "indicators") if isinstance(item.get("key"), str)]
    found = [
        WeightItem(item["key"], item.get("dimension"), float(item["weight"]))
        for item in keyed if is_number(item.get("weight")) and isinstance(item.get("dimension"), str)
    ]  # fmt: skip
    return found, len(found) == len(keyed)


MAX_WEIGHT_ADJUSTMENTS = 10  # 2^10 combinations are checked at validation
WEIGHT_TOLERANCE = 1e-6


def apply_weights(base: Mapping[str, float], adjustments: Iterable[Adjustment]) -> dict[str, float]:
    """Weights after applying the `weights` of the given adjustments in document order."""
    weights = dict(base)
    for adj in adjustments:
        weights.update(adj.weights)
    return weights


def _sum(weights: Mapping[str, float], indicators: list[WeightItem]) -> float:
    return sum(weights[ind.key] for ind in indicators)


def _dimension_sums(weights: Mapping[str, float], indicators: list[WeightItem]) -> dict[str, float]:
    sums: dict[str, float] = {}
    for ind in indicators:
        sums[ind.dimension] = sums.get(ind.dimension, 0.0) + weights[ind.key]
    return sums


def _out_of_range(dimensions: list[Dimension], sums: Mapping[str, float]):
    for i, dim in enumerate(dimensions):
        if dim.weight_range is None:
            continue
        lo, hi = dim.weight_range
        total = sums.get(dim.key, 0.0)
        if total < lo - WEIGHT_TOLERANCE or total > hi + WEIGHT_TOLERANCE:
            yield i, dim, total


def check_weights(
    document: Mapping[str, Any],
    dimensions: tuple[Dimension, ...],
    adjustments: tuple[Adjustment, ...],
    problems: Problems,
) -> None:
    """Base weights sum to 100, dimensions in range; every weight-adjustment subset sums to 100."""
    indicators, complete = weight_items(document)
    if not indicators or not complete:
        return  # a missing or malformed weight is reported by the schema; sums would mislead
    base = {ind.key: ind.weight for ind in indicators}
    total = _sum(base, indicators)
    if abs(total - 100) > WEIGHT_TOLERANCE:
        listing = ", ".join(f"{ind.key} {ind.weight:g}" for ind in indicators if ind.weight)
        problems.error(
            "/indicators",
            (
                T(
                    "indicator weights sum to %(total)s, they must sum to 100 (%(weights)s); "
                    "lower them by %(by)s",
                    total=f"{total:g}",
                    weights=listing,
                    by=f"{abs(total - 100):g}",
                )
                if total > 100
                else T(
                    "indicator weights sum to %(total)s, they must sum to 100 (%(weights)s); "
                    "raise them by %(by)s",
                    total=f"{total:g}",
                    weights=listing,
                    by=f"{abs(total - 100):g}",
                )
            ),  # fmt: skip
        )
    for i, dim, got in _out_of_range(dimensions, _dimension_sums(base, indicators)):
        lo, hi = dim.weight_range
        members = ", ".join(
            f"{ind.key} {ind.weight:g}" for ind in indicators if ind.dimension == dim.key
        )
        problems.error(
            pointer("dimensions", i, "weight_range"),
            wording.about(
                wording.dimension(dim.key, dim.name),
                T(
                    "its indicator weights sum to %(total)s, outside its range %(low)s-%(high)s "
                    "(%(weights)s)",
                    total=f"{got:g}",
                    low=f"{lo:g}",
                    high=f"{hi:g}",
                    weights=members or T("no indicators"),
                ),
            ),
        )
    for i, dim in enumerate(dimensions):
        if not any(ind.dimension == dim.key for ind in indicators):
            problems.warn(
                pointer("dimensions", i),
                T(
                    "%(dimension)s has no indicators",
                    dimension=wording.dimension(dim.key, dim.name),
                ),
            )
    weighted = [adj for adj in adjustments if adj.weights]
    if len(weighted) > MAX_WEIGHT_ADJUSTMENTS:
        problems.error(
            "/adjustments",
            T(
                "%(count)s adjustments change weights; at most %(limit)s can be checked in every "
                "combination — merge some of them",
                count=len(weighted),
                limit=MAX_WEIGHT_ADJUSTMENTS,
            ),
        )
        return
    known = set(base)
    reported: set[tuple] = set()
    for size in range(1, len(weighted) + 1):
        for subset in combinations(weighted, size):
            if any(k not in known for adj in subset for k in adj.weights):
                continue  # an unknown indicator is reported on its own
            weights = apply_weights(base, subset)
            names = " + ".join(adj.key for adj in subset)
            last = subset[-1]
            got = _sum(weights, indicators)
            if abs(got - 100) > WEIGHT_TOLERANCE:
                problems.error(
                    pointer("adjustments", last.index, "weights"),
                    wording.about(
                        wording.adjustment(last.key, last.name),
                        T(
                            "with %(adjustments)s applied the indicator weights sum to %(total)s, "
                            "they must sum to 100; move weight between indicators so the change "
                            "adds up to 0",
                            adjustments=names,
                            total=f"{got:g}",
                        ),
                    ),
                )
            for _i, dim, got_dim in _out_of_range(dimensions, _dimension_sums(weights, indicators)):
                if (names, dim.key) in reported:
                    continue
                reported.add((names, dim.key))
                lo, hi = dim.weight_range
                problems.warn(
                    pointer("adjustments", last.index, "weights"),
                    T(
                        "with %(adjustments)s applied, %(dimension)s weighs %(total)s, outside "
                        "its range %(low)s-%(high)s",
                        adjustments=names,
                        dimension=wording.dimension(dim.key, dim.name),
                        total=f"{got_dim:g}",
                        low=f"{lo:g}",
                        high=f"{hi:g}",
                    ),
                )
