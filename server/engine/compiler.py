"""Compile a ruleset document once: formulas parsed and checked, names resolved, order fixed.

`build()` is shared by validation (which wants every problem) and `compile_ruleset()` (which
wants a working object or an exception). It reads the document defensively, so it can run on
a document that also has schema errors and still report its semantic problems.
"""

from __future__ import annotations

import ast
import keyword
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import formula as fml
from .document import document_hash
from .errors import DocumentInvalid, Problem, pointer
from .functions import make_rated
from .model import Adjustment, Band, Dimension, Indicator, InputSpec, Scoring, Streak
from .periods import previous_periods

PERIOD_NAMES = {"period_start": fml.DATE, "period_end": fml.DATE}
# The work of one evaluation, bounded at validation: the sum of its formulas' costs (the parts
# evaluated plus the list and ratings items read, formula.LIST_ITEMS). About 100 functions over
# full 10,000-item lists; a few milliseconds of computing at most.
MAX_EVALUATION_COST = 1_000_000
RESERVED = {"value", *PERIOD_NAMES, *fml.FUNCTION_NAMES}


@dataclass
class Problems:
    """Errors and warnings collected while building."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message))


class CompiledRuleset:
    """A validated ruleset, ready to evaluate submissions (see evaluate.py)."""

    def __init__(self, document: Mapping[str, Any], parts: dict[str, Any]):
        self.document = document
        self.hash = document_hash(document)
        self.role: str = document["role"]
        self.name: str = document.get("name", self.role)
        self.language: str = document.get("language", "zh-CN")
        self.period_kind: str = document["period"]
        self.precision: int = document.get("precision", 2)
        self.inputs: dict[str, InputSpec] = parts["inputs"]
        self.dimensions: list[Dimension] = parts["dimensions"]
        self.indicators: list[Indicator] = parts["indicators"]
        self.order: list[Indicator] = parts["order"]
        self.adjustments: list[Adjustment] = parts["adjustments"]
        self.bands: list[Band] = parts["bands"]
        self.streaks: list[Streak] = parts["streaks"]
        self.runtime = parts["runtime"]
        self.rated = parts["rated"]
        self.reads_period: bool = parts["reads_period"]
        self.by_key = {ind.key: ind for ind in self.indicators}
        self.dimension_members = {
            dim.key: tuple(ind.key for ind in self.indicators if ind.dimension == dim.key)
            for dim in self.dimensions
        }
        self.band_index = {band.key: i for i, band in enumerate(self.bands)}
        self.history_depth = max((s.count - 1 for s in self.streaks), default=0)

    def total_and_rating(
        self, inputs: Mapping[str, Any], period: str, *, employee_id: str | None = None
    ) -> tuple[float, str]:
        """The reported total and rating key evaluate() gives, without building the rest of the
        result (impact analysis compares only these); raises SubmissionRejected the same way."""
        from .evaluate import total_and_rating

        return total_and_rating(self, inputs, period, employee_id)

    def generated_evaluator(self):
        """The whole ruleset generated into one function (codegen.py), built on first use;
        None when it cannot be generated (evaluation then runs step by step)."""
        try:
            return self._generated
        except AttributeError:
            from .codegen import generate

            self._generated = generate(self)
            return self._generated

    def history_periods(self, period: str) -> list[str]:
        """The earlier periods whose ratings step 7 reads, most recent first."""
        return previous_periods(period, self.history_depth) if self.history_depth else []

    def evaluate(
        self,
        inputs: Mapping[str, Any],
        period: str,
        *,
        employee_id: str | None = None,
        history: Mapping[str, str] | None = None,
        explain: bool = True,
    ) -> dict[str, Any]:
        """Evaluate one submission as SPEC §4 says; raises SubmissionRejected."""
        from .evaluate import evaluate

        return evaluate(self, inputs, period, employee_id, history or {}, explain)


def compile_ruleset(document: Mapping[str, Any]) -> CompiledRuleset:
    """Compile a document; DocumentInvalid carries every problem if it does not validate."""
    from .validate import validate_document

    report = validate_document(document, check_examples=False)
    if not report.valid:
        raise DocumentInvalid(report)
    return report.compiled


def build(document: Mapping[str, Any], problems: Problems) -> CompiledRuleset | None:
    """Check every semantic rule of SPEC §3 and compile; None when there are errors."""
    parts: dict[str, Any] = {}
    raters = _mapping(document.get("raters"))
    parts["rated"] = make_rated({k: float(v) for k, v in raters.items() if _is_number(v)})
    parts["runtime"] = fml.runtime(parts["rated"])
    _check_keys(document, problems)
    parts["inputs"] = _inputs(document, raters, problems)
    parts["dimensions"] = _dimensions(document, problems)
    parts["indicators"], parts["order"] = _indicators(document, parts, problems)
    parts["adjustments"] = _adjustments(document, parts, problems)
    parts["bands"] = _bands(document, problems)
    parts["streaks"] = _streaks(document, parts["bands"], problems)
    _check_distribution(document, parts["bands"], problems)
    from .weights import WeightItem, check_weights

    items = [item for _, item in _items(document, "indicators") if isinstance(item.get("key"), str)]
    parts["weight_items"] = [
        WeightItem(item["key"], item.get("dimension"), float(item["weight"]))
        for item in items if _is_number(item.get("weight")) and isinstance(item.get("dimension"), str)
    ]  # fmt: skip
    parts["weights_complete"] = len(parts["weight_items"]) == len(items)
    check_weights(parts, problems)
    _check_cost(parts, problems)
    parts["reads_period"] = _reads_period(parts)
    _check_unused_inputs(parts, problems)
    if problems.errors:
        return None
    return CompiledRuleset(document, parts)


def _check_cost(parts: dict, problems: Problems) -> None:
    """One evaluation's work stays within MAX_EVALUATION_COST, whatever is submitted."""
    formulas = []
    for ind in parts["indicators"]:
        formulas.append((pointer("indicators", ind.index, "formula"), ind.formula))
        if ind.scoring.formula is not None:
            formulas.append(
                (pointer("indicators", ind.index, "scoring", "formula"), ind.scoring.formula)
            )
    for adj in parts["adjustments"]:
        if adj.when is not None:
            formulas.append((pointer("adjustments", adj.index, "when"), adj.when))
    total = sum(formula.cost for _, formula in formulas)
    if total > MAX_EVALUATION_COST:
        path, heaviest = max(formulas, key=lambda found: found[1].cost)
        problems.error(
            path,
            f"the formulas could read {total:,} list items and parts in one evaluation, over the "
            f"limit of {MAX_EVALUATION_COST:,} ({heaviest.cost:,} in this one): read each list "
            "once, in one indicator, and use that indicator's value elsewhere",
        )


# --- helpers -----------------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(document: Mapping[str, Any], name: str) -> list[tuple[int, dict]]:
    value = document.get(name)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _key_problem(key: Any, in_formulas: bool = False) -> str | None:
    """What is wrong with a key; names read by formulas must also not be keywords or reserved."""
    if not isinstance(key, str):
        return None  # the schema reports it
    if not key.isidentifier():
        return f"{key!r} is not a valid name: use letters, digits and _ (not starting with a digit)"
    if unicodedata.normalize("NFKC", key) != key:
        normal = unicodedata.normalize("NFKC", key)
        return f"{key!r} uses look-alike characters; write it as {normal!r}"
    if in_formulas and (keyword.iskeyword(key) or key in RESERVED):
        return f"{key!r} is reserved in formulas (a keyword, function or built-in name); choose another name"
    return None


def _check_keys(document: Mapping[str, Any], problems: Problems) -> None:
    """Names are identifiers, unique in their list; inputs and indicators share one namespace."""
    seen: dict[str, str] = {}
    for name in _mapping(document.get("inputs")):
        message = _key_problem(name, in_formulas=True)
        if message:
            problems.error(pointer("inputs", name), f"input {message}")
        seen[name] = pointer("inputs", name)
    for list_name, field_name in (
        ("indicators", "key"),
        ("dimensions", "key"),
        ("adjustments", "key"),
        ("rating", "key"),
        ("streaks", "key"),
        ("examples", "name"),
    ):
        local: set[Any] = set()
        for i, item in _items(document, list_name):
            key = item.get(field_name)
            if not isinstance(key, str):
                continue  # the schema reports it
            path = pointer(list_name, i, field_name)
            in_formulas = list_name == "indicators"
            if field_name == "key" and (message := _key_problem(key, in_formulas)):
                problems.error(path, message)
            if key in local:
                problems.error(path, f"{key!r} appears twice in {list_name}; each must be unique")
            local.add(key)
            if list_name == "indicators":
                if key in seen:
                    problems.error(
                        path, f"indicator {key!r} has the same name as an input; rename one"
                    )
                seen[key] = path


def _inputs(document: Mapping, raters: Mapping, problems: Problems) -> dict[str, InputSpec]:
    result = {}
    for name, spec in _mapping(document.get("inputs")).items():
        if not isinstance(spec, dict) or spec.get("type") not in (
            "number", "integer", "boolean", "string", "date", "ratings", "list",
        ):  # fmt: skip
            continue
        path = pointer("inputs", name)
        lo, hi = spec.get("min"), spec.get("max")
        if _is_number(lo) and _is_number(hi) and lo > hi:
            problems.error(path + "/min", f"input {name}: min {lo} is above max {hi}")
        kinds: tuple[str, ...] = ()
        if spec["type"] == "ratings":
            wanted = spec.get("raters") if isinstance(spec.get("raters"), list) else list(raters)
            if not raters:
                problems.error(
                    path, f"input {name} is a ratings input: declare `raters` with weights"
                )
            for j, kind in enumerate(wanted if isinstance(wanted, list) else []):
                if kind not in raters:
                    problems.error(
                        f"{path}/raters/{j}",
                        f"input {name}: rater kind {kind!r} is not declared in `raters` "
                        f"({', '.join(raters) or 'none declared'})",
                    )
            kinds = tuple(k for k in wanted if isinstance(k, str))
        enum = spec.get("enum") if isinstance(spec.get("enum"), list) else None
        item = InputSpec(
            name=name,
            type=spec["type"],
            label=_text(spec.get("label"), name),
            required=spec.get("required", True) is not False,
            default=None,
            min=float(lo) if _is_number(lo) else None,
            max=float(hi) if _is_number(hi) else None,
            enum=tuple(x for x in enum if isinstance(x, str)) if enum else None,
            raters=kinds,
        )
        default = spec.get("default")
        if default is not None:
            try:
                item = InputSpec(**{**item.__dict__, "default": item.coerce(default)})
            except ValueError as exc:
                problems.error(path + "/default", f"input {name}: the default {exc}")
        result[name] = item
    return result


def _dimensions(document: Mapping, problems: Problems) -> list[Dimension]:
    result = []
    for i, item in _items(document, "dimensions"):
        if not isinstance(item.get("key"), str):
            continue
        rng = item.get("weight_range")
        weight_range = None
        if isinstance(rng, list) and len(rng) == 2 and all(_is_number(x) for x in rng):
            if rng[0] > rng[1]:
                problems.error(
                    pointer("dimensions", i, "weight_range"),
                    f"dimension {item['key']}: weight_range [{rng[0]}, {rng[1]}] is reversed; "
                    "write the lower bound first",
                )
            weight_range = (float(rng[0]), float(rng[1]))
        result.append(Dimension(item["key"], _text(item.get("name"), item["key"]), weight_range))
    return result


def _text(value: Any, default: str) -> str:
    """A label as text; anything else (the schema reports it) falls back to `default`."""
    return value if isinstance(value, str) and value else default


def _label(item: dict) -> str:
    return f"{item.get('key')} ({item.get('name')})" if item.get("name") else str(item.get("key"))


def _scope(parts: dict, indicators: set[str], extra: Mapping[str, str] | None = None) -> fml.Scope:
    names = {
        name: fml.NUMBER if spec.type == "integer" else spec.type
        for name, spec in parts["inputs"].items()
    }
    names.update(PERIOD_NAMES)
    names.update({key: fml.NUMBER for key in indicators})
    names.update(extra or {})
    kinds = {name: spec.raters for name, spec in parts["inputs"].items() if spec.type == "ratings"}
    return fml.Scope(names, kinds)


def _compile(
    text: Any,
    scope: fml.Scope,
    path: str,
    who: str,
    problems: Problems,
    want_number: bool,
    runtime: dict,
) -> tuple[fml.Formula, Any] | None:
    """Check and compile one formula, reporting problems at `path`."""
    if not isinstance(text, str):
        return None
    try:
        checked = fml.check(text, scope)
    except fml.FormulaError as exc:
        for message in exc.messages:
            problems.error(path, f"{who}: {message}")
        return None
    if want_number and checked.type != fml.NUMBER:
        problems.error(
            path,
            f"{who}: the formula gives {fml.TYPE_WORDS[checked.type]}, not a number "
            "(write e.g. `1 if condition else 0`)",
        )
        return None
    return checked, checked.bind(runtime)


def _indicators(document: Mapping, parts: dict, problems: Problems):
    items = _items(document, "indicators")
    keys = {item["key"] for _, item in items if isinstance(item.get("key"), str)}
    dimension_keys = {d.key for d in parts["dimensions"]}
    compiled: list[Indicator] = []
    for i, item in items:
        key = item.get("key")
        if not isinstance(key, str):
            continue
        who = f"indicator {_label(item)}"
        if isinstance(item.get("dimension"), str) and item["dimension"] not in dimension_keys:
            problems.error(
                pointer("indicators", i, "dimension"),
                f"{who}: dimension {item['dimension']!r} is not declared; use one of "
                + ", ".join(sorted(dimension_keys)),
            )
        scope = _scope(parts, keys - {key})
        done = _compile(
            item.get("formula"),
            scope,
            pointer("indicators", i, "formula"),
            who,
            problems,
            True,
            parts["runtime"],
        )
        scoring, scoring_names = _scoring(item, i, who, parts, keys - {key}, problems)
        if done is None or scoring is None:
            continue
        checked, fn = done
        names = checked.names | scoring_names
        fallback = item.get("fallback")
        compiled.append(Indicator(
            index=i, key=key, name=_text(item.get("name"), key),
            dimension=item["dimension"] if isinstance(item.get("dimension"), str) else "",
            weight=float(item["weight"]) if _is_number(item.get("weight")) else 0.0,
            optional=item.get("optional") is True,
            fallback=float(fallback) if _is_number(fallback) else None,
            formula=checked, fn=fn, scoring=scoring,
            inputs=frozenset(n for n in names if n in parts["inputs"]),
            depends=frozenset(n for n in names if n in keys),
        ))  # fmt: skip
    order = _order(compiled, problems)
    return _with_transitive_inputs(compiled, order), order


def _scoring(item: dict, i: int, who: str, parts: dict, others: set[str], problems: Problems):
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
                isinstance(p, list) and len(p) == 2 and all(_is_number(x) for x in p)
                for p in points
            )
            or len(points) < 2
        ):
            return None, frozenset()
        xs = [float(p[0]) for p in points]
        if any(b <= a for a, b in zip(xs, xs[1:])):
            problems.error(
                path + "/points", f"{who}: the x values of points must be strictly ascending ({xs})"
            )
            return None, frozenset()
        return Scoring("linear", xs=tuple(xs), ss=tuple(float(p[1]) for p in points)), frozenset()
    if kind == "bands":
        bands = spec.get("bands")
        if (
            not isinstance(bands, list)
            or not all(
                isinstance(b, dict) and _is_number(b.get("min")) and _is_number(b.get("score"))
                for b in bands
            )
            or not bands
        ):
            return None, frozenset()
        mins = [float(b["min"]) for b in bands]
        if any(b >= a for a, b in zip(mins, mins[1:])):
            problems.error(
                path + "/bands", f"{who}: bands must be ordered by min, highest first ({mins})"
            )
            return None, frozenset()
        otherwise = spec.get("else", 0)
        pairs = tuple((float(b["min"]), float(b["score"])) for b in bands)
        return Scoring(
            "bands", bands=pairs, otherwise=float(otherwise) if _is_number(otherwise) else 0.0
        ), frozenset()
    if kind == "formula":
        scope = _scope(parts, others, {"value": fml.NUMBER})
        done = _compile(
            spec.get("formula"),
            scope,
            path + "/formula",
            f"{who} scoring",
            problems,
            True,
            parts["runtime"],
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
                f"indicator {ind.key} ({ind.name}): formulas read each other in a cycle: "
                + " → ".join(cycle)
                + "; break the cycle",
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


def _with_transitive_inputs(indicators: list[Indicator], order: list[Indicator]) -> list[Indicator]:
    by_key = {ind.key: ind for ind in indicators}
    reads: dict[str, frozenset[str]] = {}
    for ind in order:
        found = set(ind.inputs)
        for dep in ind.depends:
            found |= reads.get(dep, frozenset())
        reads[ind.key] = frozenset(found)
    updated = {
        k: Indicator(**{**ind.__dict__, "all_inputs": reads.get(k, ind.inputs)})
        for k, ind in by_key.items()
    }
    order[:] = [updated[ind.key] for ind in order]
    return [updated[ind.key] for ind in indicators]


def _adjustments(document: Mapping, parts: dict, problems: Problems) -> list[Adjustment]:
    indicators = {ind.key: ind for ind in parts["indicators"]}
    declared = {item["key"] for _, item in _items(document, "indicators")
                if isinstance(item.get("key"), str)}  # fmt: skip
    bands = {
        item["key"] for _, item in _items(document, "rating") if isinstance(item.get("key"), str)
    }
    result = []
    for i, item in _items(document, "adjustments"):
        key = item.get("key")
        if not isinstance(key, str):
            continue
        who = f"adjustment {_label(item)}"
        weights = _mapping(item.get("weights"))
        has_weights = bool(weights)
        scope = _scope(parts, set() if has_weights else declared)
        when = None
        if has_weights and (read := _indicators_read(item.get("when"), declared)):
            problems.error(
                pointer("adjustments", i, "when"),
                f"{who}: an adjustment that changes weights decides them before any indicator is "
                f"computed, so its `when` may read only inputs, period_start and period_end, not "
                f"{', '.join(repr(k) for k in sorted(read))}; test the inputs instead, or move the weights out",
            )
            continue
        if "when" in item:
            done = _compile(
                item.get("when"),
                scope,
                pointer("adjustments", i, "when"),
                who,
                problems,
                False,
                parts["runtime"],
            )
            if done is None:
                continue
            when = done
        for field_name in ("weights", "scores"):
            for name in _mapping(item.get(field_name)):
                if name not in declared:
                    problems.error(
                        pointer("adjustments", i, field_name, name),
                        f"{who}: {name!r} is not an indicator; use one of "
                        + ", ".join(str(k) for k in declared),
                    )
        rating = _mapping(item.get("rating"))
        for op, band in rating.items():
            if isinstance(band, str) and band not in bands:
                problems.error(
                    pointer("adjustments", i, "rating", op),
                    f"{who}: rating {band!r} is not a rating band key",
                )
        names = when[0].names if when else frozenset()
        read_indicators = _closure({n for n in names if n in declared}, indicators)
        via = set(n for n in names if n in parts["inputs"])
        for name in read_indicators:
            if name in indicators:
                via |= indicators[name].inputs
        total = _mapping(item.get("total"))
        result.append(Adjustment(
            index=i, key=key, name=item.get("name") or key,
            when=when[0] if when else None, when_fn=when[1] if when else None,
            inputs=frozenset(via), indicators=read_indicators,
            weights={k: float(v) for k, v in weights.items() if _is_number(v)},
            scores={k: next(iter(v.items())) for k, v in _mapping(item.get("scores")).items()
                    if isinstance(v, dict) and len(v) == 1},
            total=next(iter(total.items())) if len(total) == 1 else None,
            rating=next(iter(rating.items()))
            if len(rating) == 1 and all(isinstance(b, str) and b in bands for b in rating.values())
            else None,
        ))  # fmt: skip
    return result


def _indicators_read(text: Any, declared: set[str]) -> set[str]:
    """The indicator keys a formula names (empty when it does not parse)."""
    try:
        tree = fml.parse(text)
    except fml.FormulaError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} & declared


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


def _bands(document: Mapping, problems: Problems) -> list[Band]:
    bands = [
        Band(item["key"], _text(item.get("label"), item["key"]), float(item["min"]),
             float(item["bonus_multiplier"]) if _is_number(item.get("bonus_multiplier")) else 1.0)
        for _, item in _items(document, "rating")
        if isinstance(item.get("key"), str) and _is_number(item.get("min"))
    ]  # fmt: skip
    for i in range(1, len(bands)):
        if bands[i].min >= bands[i - 1].min:
            problems.error(
                pointer("rating", i, "min"),
                f"rating band {bands[i].key} ({bands[i].label}): bands must be ordered by min, "
                f"highest first; {bands[i].min:g} is not below {bands[i - 1].min:g}",
            )
    if bands and bands[-1].min > 0:
        problems.error(
            pointer("rating", len(bands) - 1, "min"),
            f"rating band {bands[-1].key} ({bands[-1].label}): the last band must cover 0 "
            f"(min 0), otherwise totals below {bands[-1].min:g} have no rating",
        )
    return bands


def _streaks(document: Mapping, bands: list[Band], problems: Problems) -> list[Streak]:
    keys = {band.key for band in bands}
    result = []
    for i, item in _items(document, "streaks"):
        rating = item.get("rating")
        if not isinstance(rating, str):
            continue  # the schema reports it
        if rating not in keys:
            problems.error(
                pointer("streaks", i, "rating"),
                f"streak {item.get('key')}: rating {item['rating']!r} is not a band key; "
                "use one of " + ", ".join(sorted(keys)),
            )
            continue
        count = item.get("count")
        if (
            isinstance(item.get("key"), str)
            and isinstance(count, int)
            and not isinstance(count, bool)
        ):
            result.append(Streak(item["key"], _text(item.get("label"), item["key"]), rating, count))
    return result


def _check_distribution(document: Mapping, bands: list[Band], problems: Problems) -> None:
    keys = {band.key for band in bands}
    for i, item in _items(document, "distribution"):
        if isinstance(item.get("rating"), str) and item["rating"] not in keys:
            problems.error(
                pointer("distribution", i, "rating"),
                f"distribution guideline: {item['rating']!r} is not a rating band key",
            )
        lo, hi = item.get("min_share"), item.get("max_share")
        if _is_number(lo) and _is_number(hi) and lo > hi:
            problems.error(
                pointer("distribution", i, "min_share"),
                "distribution guideline: min_share is above max_share",
            )


def _reads_period(parts: dict) -> bool:
    formulas = [ind.formula for ind in parts["indicators"]]
    formulas += [ind.scoring.formula for ind in parts["indicators"] if ind.scoring.formula]
    formulas += [adj.when for adj in parts["adjustments"] if adj.when]
    return any(f.names & PERIOD_NAMES.keys() for f in formulas)


def _check_unused_inputs(parts: dict, problems: Problems) -> None:
    used: set[str] = set()
    for ind in parts["indicators"]:
        used |= ind.inputs
    for adj in parts["adjustments"]:
        used |= adj.inputs
    for name in parts["inputs"]:
        if name not in used:
            problems.warn(
                pointer("inputs", name),
                f"input {name} is not read by any formula; remove it or use it",
            )
