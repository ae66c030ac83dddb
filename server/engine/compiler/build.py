"""build(): every semantic rule of SPEC §3 checked, and the document compiled into a CompiledRuleset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import formula as fml
from ..document import document_hash
from ..functions import make_rated
from ..language import T
from ..model import Adjustment, Indicator, InputSpec
from ..problems import Problems, pointer
from ..ruleset import CompiledRuleset
from .adjustments import read_adjustments
from .declarations import (
    check_distribution,
    check_keys,
    read_at_risk,
    read_bands,
    read_dimensions,
    read_inputs,
    read_streaks,
)
from .indicators import read_indicators
from .reading import is_number, mapping
from .scopes import PERIOD_NAMES
from .weights import check_weights

# The work of one evaluation, bounded at validation: the sum of its formulas' costs (the parts
# evaluated plus the list and ratings items read, formula.LIST_ITEMS). About 100 functions over
# full 10,000-item lists; a few milliseconds of computing at most.
MAX_EVALUATION_COST = 1_000_000


def build(document: Mapping[str, Any], problems: Problems) -> CompiledRuleset | None:
    """Check every semantic rule of SPEC §3 and compile; None when there are errors."""
    raters = mapping(document.get("raters"))
    rated = make_rated({k: float(v) for k, v in raters.items() if is_number(v)})
    runtime = fml.runtime(rated)
    check_keys(document, problems)
    inputs = read_inputs(document, raters, problems)
    dimensions = read_dimensions(document, problems)
    indicators, order = read_indicators(document, inputs, dimensions, runtime, problems)
    adjustments = read_adjustments(document, inputs, indicators, runtime, problems)
    bands = read_bands(document, problems)
    streaks = read_streaks(document, bands, problems)
    at_risk = read_at_risk(document, bands, problems)
    check_distribution(document, bands, problems)
    check_weights(document, dimensions, adjustments, problems)
    _check_cost(indicators, adjustments, problems)
    reads_period = _reads_period(indicators, adjustments)
    _check_unused_inputs(inputs, indicators, adjustments, problems)
    if problems.errors:
        return None
    role = document["role"]
    return CompiledRuleset(
        document=document,
        hash=document_hash(document),
        role=role,
        name=document.get("name", role),
        language=document.get("language", "zh-CN"),
        period_kind=document["period"],
        precision=document.get("precision", 2),
        inputs=inputs,
        dimensions=dimensions,
        indicators=indicators,
        order=order,
        adjustments=adjustments,
        bands=bands,
        streaks=streaks,
        at_risk=at_risk,
        rated=rated,
        runtime=runtime,
        reads_period=reads_period,
    )


def _formulas(
    indicators: tuple[Indicator, ...], adjustments: tuple[Adjustment, ...]
) -> list[tuple[str, fml.Formula]]:
    """Every compiled formula with its path: indicators, their scoring, adjustments' `when`."""
    formulas = []
    for ind in indicators:
        formulas.append((pointer("indicators", ind.index, "formula"), ind.formula))
        if ind.scoring.formula is not None:
            formulas.append(
                (pointer("indicators", ind.index, "scoring", "formula"), ind.scoring.formula)
            )
    for adj in adjustments:
        if adj.when is not None:
            formulas.append((pointer("adjustments", adj.index, "when"), adj.when))
    return formulas


def _check_cost(
    indicators: tuple[Indicator, ...], adjustments: tuple[Adjustment, ...], problems: Problems
) -> None:
    """One evaluation's work stays within MAX_EVALUATION_COST, whatever is submitted."""
    formulas = _formulas(indicators, adjustments)
    total = sum(formula.cost for _, formula in formulas)
    if total > MAX_EVALUATION_COST:
        path, heaviest = max(formulas, key=lambda found: found[1].cost)
        problems.error(
            path,
            T(
                "the formulas could read %(total)s list items and parts in one evaluation, over "
                "the limit of %(limit)s (%(this)s in this one): read each list once, in one "
                "indicator, and use that indicator's value elsewhere",
                total=f"{total:,}",
                limit=f"{MAX_EVALUATION_COST:,}",
                this=f"{heaviest.cost:,}",
            ),
        )


def _reads_period(indicators: tuple[Indicator, ...], adjustments: tuple[Adjustment, ...]) -> bool:
    formulas = [formula for _, formula in _formulas(indicators, adjustments)]
    return any(f.names & PERIOD_NAMES.keys() for f in formulas)


def _check_unused_inputs(
    inputs: Mapping[str, InputSpec],
    indicators: tuple[Indicator, ...],
    adjustments: tuple[Adjustment, ...],
    problems: Problems,
) -> None:
    used: set[str] = set()
    for ind in indicators:
        used |= ind.inputs
    for adj in adjustments:
        used |= adj.inputs
    for name in inputs:
        if name not in used:
            problems.warn(
                pointer("inputs", name),
                T("input %(name)s is not read by any formula; remove it or use it", name=name),
            )
