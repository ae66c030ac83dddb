"""Properties over random valid rulesets and submissions (Hypothesis).

The rulesets have 2-5 indicators (some optional), linear/bands/clamp scoring, and weight
adjustments that each move weight between two indicators of their own (so every subset of
them keeps the sum at 100, as a valid ruleset must); each adjustment fires on its own flag.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from server.engine import SubmissionRejected, compile_ruleset, load_document, validate_document

PROPERTY_SETTINGS = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PRECISION = 2
UNIT = 10**-PRECISION

RATING = [
    {"key": "excellent", "label": "优秀", "min": 90, "bonus_multiplier": 1.5},
    {"key": "good", "label": "良好", "min": 80, "bonus_multiplier": 1.2},
    {"key": "fail", "label": "不合格", "min": 0, "bonus_multiplier": 0.5},
]


def half_up(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-PRECISION), rounding=ROUND_HALF_UP))


@st.composite
def scorings(draw: st.DrawFn) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["clamp", "linear", "bands"]))
    if kind == "clamp":
        return None
    if kind == "linear":
        xs = sorted(draw(st.sets(st.integers(-50, 250), min_size=2, max_size=4)))
        scores = draw(st.lists(st.integers(0, 120), min_size=len(xs), max_size=len(xs)))
        return {"type": "linear", "points": [[x, s] for x, s in zip(xs, scores)]}
    mins = sorted(draw(st.sets(st.integers(-50, 250), min_size=1, max_size=3)), reverse=True)
    scores = draw(st.lists(st.integers(0, 120), min_size=len(mins), max_size=len(mins)))
    bands: dict[str, Any] = {
        "type": "bands",
        "bands": [{"min": m, "score": s} for m, s in zip(mins, scores)],
    }
    if draw(st.booleans()):
        bands["else"] = draw(st.integers(0, 120))
    return bands


def score_range(scoring: dict[str, Any] | None) -> tuple[float, float]:
    """The lowest and highest score the scoring curve allows."""
    if scoring is None:
        return 0.0, 100.0
    if scoring["type"] == "linear":
        scores = [s for _, s in scoring["points"]]
    else:
        scores = [b["score"] for b in scoring["bands"]] + [scoring.get("else", 0)]
    return float(min(scores)), float(max(scores))


@st.composite
def rulesets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document: x0..xN inputs, one indicator each, disjoint weight adjustments."""
    n = draw(st.integers(2, 5))
    rest = draw(st.lists(st.integers(0, 24), min_size=n - 1, max_size=n - 1))
    weights = [100 - sum(rest), *rest]  # indicator 0 keeps at least 4
    optional = [False] + draw(st.lists(st.booleans(), min_size=n - 1, max_size=n - 1))
    inputs: dict[str, Any] = {}
    indicators = []
    for i in range(n):
        inputs[f"x{i}"] = {"type": "number", "required": not optional[i]}
        indicator: dict[str, Any] = {
            "key": f"k{i}",
            "name": f"指标{i}",
            "dimension": "main" if i % 2 == 0 else "other",
            "formula": f"x{i}",
            "weight": weights[i],
        }
        if optional[i]:
            indicator["optional"] = True
        scoring = draw(scorings())
        if scoring is not None:
            indicator["scoring"] = scoring
        indicators.append(indicator)
    # weight adjustments on disjoint pairs among indicators 1..n-1
    movable = draw(st.permutations(list(range(1, n))))
    adjustments = []
    for j in range(len(movable) // 2):
        a, b = movable[2 * j], movable[2 * j + 1]
        moved = draw(st.integers(0, weights[a]))
        inputs[f"flag{j}"] = {"type": "boolean", "required": False, "default": False}
        adjustments.append({
            "key": f"adj{j}",
            "name": f"调整{j}",
            "when": f"flag{j}",
            "weights": {f"k{a}": weights[a] - moved, f"k{b}": weights[b] + moved},
        })  # fmt: skip
    return {
        "role": "property_role",
        "name": "性质",
        "period": "quarter",
        "precision": PRECISION,
        "inputs": inputs,
        "dimensions": [{"key": "main", "name": "主"}, {"key": "other", "name": "副"}],
        "indicators": indicators,
        "adjustments": adjustments,
        "rating": copy.deepcopy(RATING),
    }


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ruleset and a submission for it (optional inputs sometimes missing, flags random)."""
    document = draw(rulesets())
    inputs: dict[str, Any] = {}
    for name, spec in document["inputs"].items():
        if spec["type"] == "boolean":
            inputs[name] = draw(st.booleans())
        elif spec["required"] or draw(st.booleans()):
            inputs[name] = draw(
                st.one_of(
                    st.integers(-60, 260),
                    st.floats(-60, 260, allow_nan=False, allow_infinity=False),
                )
            )
    return document, inputs


def expected_weights(document: dict[str, Any], inputs: dict[str, Any]) -> dict[str, float]:
    """Base weights with the fired adjustments applied in document order (SPEC §4 step 2)."""
    weights = {ind["key"]: float(ind["weight"]) for ind in document["indicators"]}
    for adjustment in document["adjustments"]:
        if inputs.get(adjustment["when"]):
            weights.update({k: float(v) for k, v in adjustment["weights"].items()})
    return weights


def evaluate(document: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    return compile_ruleset(document).evaluate(inputs, "2025-Q3")


@PROPERTY_SETTINGS
@given(rulesets())
def test_generated_rulesets_are_valid(document: dict[str, Any]) -> None:
    report = validate_document(document)
    assert report.valid, report.errors


@PROPERTY_SETTINGS
@given(cases())
def test_declared_weights_after_any_fired_adjustments_sum_to_100(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, inputs = case
    result = evaluate(document, inputs)
    declared = {row["key"]: row["declared_weight"] for row in result["indicators"]}
    assert declared == {k: half_up(w) for k, w in expected_weights(document, inputs).items()}
    assert abs(sum(declared.values()) - 100) < 1e-9


@PROPERTY_SETTINGS
@given(cases())
def test_reported_weights_of_scored_indicators_sum_to_100(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    document, inputs = case
    result = evaluate(document, inputs)
    rows = result["indicators"]
    scored = [row["weight"] for row in rows if row["status"] == "scored"]
    others = [row["weight"] for row in rows if row["status"] != "scored"]
    # each reported weight is rounded to the precision: the sum is 100 within n half-units
    assert abs(sum(scored) - 100) <= len(rows) * UNIT / 2 + 1e-9
    assert others == [0.0] * len(others)


@PROPERTY_SETTINGS
@given(cases())
def test_spread_weights_follow_the_formula(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    document, inputs = case
    result = evaluate(document, inputs)
    weights = expected_weights(document, inputs)
    left_out = sum(
        weights[row["key"]] for row in result["indicators"] if row["status"] == "left_out"
    )
    for row in result["indicators"]:
        if row["status"] == "scored":
            expected = (
                weights[row["key"]] * 100 / (100 - left_out) if left_out else weights[row["key"]]
            )
            assert row["weight"] == half_up(expected)
        if row["status"] == "left_out":
            assert inputs.get(f"x{row['key'][1:]}") is None


@PROPERTY_SETTINGS
@given(cases())
def test_evaluation_is_deterministic(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    document, inputs = case
    ruleset = compile_ruleset(document)
    first = ruleset.evaluate(inputs, "2025-Q3", employee_id="E1")
    again = ruleset.evaluate(copy.deepcopy(inputs), "2025-Q3", employee_id="E1")
    recompiled = compile_ruleset(copy.deepcopy(document)).evaluate(
        inputs, "2025-Q3", employee_id="E1"
    )
    assert first == again == recompiled


@PROPERTY_SETTINGS
@given(cases())
def test_total_stays_within_what_the_scoring_curves_allow(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    # no `scores` or `total` adjustments here: the total is Σ score × weight / 100 with each
    # score inside its curve's range
    document, inputs = case
    result = evaluate(document, inputs)
    weights = expected_weights(document, inputs)
    rows = {row["key"]: row for row in result["indicators"]}
    left_out = sum(weights[k] for k, row in rows.items() if row["status"] == "left_out")
    highest = lowest = 0.0
    for indicator in document["indicators"]:
        key = indicator["key"]
        if rows[key]["status"] != "scored":
            continue
        weight = weights[key] * 100 / (100 - left_out)
        low, high = score_range(indicator.get("scoring"))
        assert low - UNIT / 2 <= rows[key]["score"] <= high + UNIT / 2
        highest += weight * high / 100
        lowest += weight * low / 100
    assert lowest - UNIT <= result["total"] <= highest + UNIT


# --- robustness: any JSON in, a report or a result out --------------------------------------------

MINI = load_document((Path(__file__).parent / "fixtures" / "mini.yaml").read_text(encoding="utf-8"))
MINI_INPUTS = MINI["examples"][0]["inputs"]
DELETE = object()
FUZZ_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def node_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a member of a JSON-like document (not the root)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += node_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += node_paths(value, (*prefix, i))
    return found


def mutate(document: Any, mutations: list[tuple[tuple, Any]]) -> Any:
    """Replace (or delete) the member at each path; paths gone after earlier edits are skipped."""
    for path, value in mutations:
        node = document
        try:
            for part in path[:-1]:
                node = node[part]
            if value is DELETE and isinstance(node, dict):
                del node[path[-1]]
            elif value is not DELETE:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return document


@FUZZ_SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(node_paths(MINI)), json_values | st.just(DELETE)),
        min_size=1,
        max_size=3,
    )
)
def test_validating_any_mutated_document_reports_instead_of_raising(
    mutations: list[tuple[tuple, Any]],
) -> None:
    document = mutate(copy.deepcopy(MINI), mutations)
    report = validate_document(document)
    if report.valid:
        compile_ruleset(document)
    else:
        assert all(isinstance(p.path, str) and p.message for p in report.errors)


@settings(FUZZ_SETTINGS, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking
@given(
    st.dictionaries(
        st.sampled_from([*MINI["inputs"], "unknown_name"]),
        json_values | st.floats(min_value=0, allow_infinity=False),
        min_size=1,
        max_size=3,
    )
)
def test_evaluating_any_submission_gives_a_result_or_a_rejection(changes: dict[str, Any]) -> None:
    ruleset = compile_ruleset(MINI)
    inputs = {**MINI_INPUTS, **changes}
    try:
        result = ruleset.evaluate(inputs, "2025-Q3")
    except SubmissionRejected as exc:
        assert exc.problems and all(p.path.startswith("/inputs") for p in exc.problems)
    else:
        assert result["rating"]["key"] in {"excellent", "good", "pass", "fail"}
