"""The declared parts of a document: names, inputs, dimensions, rating bands, streaks and
distribution guidelines, each checked (SPEC §3) and read into the model's frozen parts."""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .. import formula as fml
from .. import wording
from ..language import T, Text
from ..model import Band, Dimension, InputSpec, Streak
from ..problems import Problems, pointer, reason
from .reading import is_number, items, mapping, text
from .scopes import PERIOD_NAMES

RESERVED = {"value", *PERIOD_NAMES, *fml.FUNCTION_NAMES}
INPUT_TYPES = ("number", "integer", "boolean", "string", "date", "ratings", "list")
LEVERS = ("increase", "decrease")
PROJECTIONS = ("linear",)
MOVING_TYPES = ("number", "integer")  # the only types a lever or a projection fits


def _key_problem(key: Any, in_formulas: bool = False) -> Text | None:
    """What is wrong with a key; names read by formulas must also not be keywords or reserved."""
    if not isinstance(key, str):
        return None  # the schema reports it
    if not key.isidentifier():
        return T(
            "%(key)r is not a valid name: use letters, digits and _ (not starting with a digit)",
            key=key,
        )
    if unicodedata.normalize("NFKC", key) != key:
        normal = unicodedata.normalize("NFKC", key)
        return T(
            "%(key)r uses look-alike characters; write it as %(normal)r", key=key, normal=normal
        )
    if in_formulas and (keyword.iskeyword(key) or key in RESERVED):
        return T(
            "%(key)r is reserved in formulas (a keyword, function or built-in name); "
            "choose another name",
            key=key,
        )
    return None


def check_keys(document: Mapping[str, Any], problems: Problems) -> None:
    """Names are identifiers, unique in their list; inputs and indicators share one namespace."""
    seen: dict[str, str] = {}
    for name in mapping(document.get("inputs")):
        message = _key_problem(name, in_formulas=True)
        if message:
            problems.error(pointer("inputs", name), T("input %(problem)s", problem=message))
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
        for i, item in items(document, list_name):
            key = item.get(field_name)
            if not isinstance(key, str):
                continue  # the schema reports it
            path = pointer(list_name, i, field_name)
            in_formulas = list_name == "indicators"
            if field_name == "key" and (message := _key_problem(key, in_formulas)):
                problems.error(path, message)
            if key in local:
                problems.error(
                    path,
                    T("%(key)r appears twice in %(list)s; each must be unique", key=key,
                      list=list_name),
                )  # fmt: skip
            local.add(key)
            if list_name == "indicators":
                if key in seen:
                    problems.error(
                        path,
                        T("indicator %(key)r has the same name as an input; rename one", key=key),
                    )
                seen[key] = path


def read_inputs(document: Mapping, raters: Mapping, problems: Problems) -> dict[str, InputSpec]:
    """The declared inputs with their bounds, rater kinds and coerced defaults."""
    result = {}
    for name, spec in mapping(document.get("inputs")).items():
        if not isinstance(spec, dict) or spec.get("type") not in INPUT_TYPES:
            continue
        path = pointer("inputs", name)
        lo, hi = spec.get("min"), spec.get("max")
        if is_number(lo) and is_number(hi) and lo > hi:
            problems.error(
                path + "/min",
                wording.about(
                    wording.input_named(name), T("min %(min)s is above max %(max)s", min=lo, max=hi)
                ),
            )
        kinds: tuple[str, ...] = ()
        if spec["type"] == "ratings":
            wanted = spec.get("raters") if isinstance(spec.get("raters"), list) else list(raters)
            if not raters:
                problems.error(
                    path,
                    T(
                        "input %(name)s is a ratings input: declare `raters` with weights",
                        name=name,
                    ),
                )
            for j, kind in enumerate(wanted if isinstance(wanted, list) else []):
                if kind not in raters:
                    problems.error(
                        f"{path}/raters/{j}",
                        wording.about(
                            wording.input_named(name),
                            T(
                                "rater kind %(kind)r is not declared in `raters` (%(kinds)s)",
                                kind=kind,
                                kinds=", ".join(raters) or T("none declared"),
                            ),
                        ),
                    )
            kinds = tuple(k for k in wanted if isinstance(k, str))
        enum = spec.get("enum") if isinstance(spec.get("enum"), list) else None
        item = InputSpec(
            name=name,
            type=spec["type"],
            label=text(spec.get("label"), name),
            required=spec.get("required", True) is not False,
            default=None,
            min=float(lo) if is_number(lo) else None,
            max=float(hi) if is_number(hi) else None,
            enum=tuple(x for x in enum if isinstance(x, str)) if enum else None,
            raters=kinds,
            unit=spec["unit"] if isinstance(spec.get("unit"), str) else "",
            source="plan" if spec.get("source") == "plan" else "submission",
            lever=spec.get("lever") if spec.get("lever") in LEVERS else None,
            projection=spec.get("projection") if spec.get("projection") in PROJECTIONS else None,
        )
        _check_movement(name, spec, path, problems)
        default = spec.get("default")
        if default is not None:
            try:
                item = replace(item, default=item.coerce(default))
            except ValueError as exc:
                problems.error(
                    path + "/default",
                    wording.about(
                        wording.input_named(name),
                        T("the default %(reason)s", reason=reason(exc)),
                    ),
                )
        result[name] = item
    return result


def _check_movement(name: str, spec: Mapping, path: str, problems: Problems) -> None:
    """`lever` and `projection` only on number and integer inputs, `projection` only on
    inputs the client system sends (SPEC §3.1)."""
    for attribute in ("lever", "projection"):
        if attribute in spec and spec["type"] not in MOVING_TYPES:
            problems.error(
                f"{path}/{attribute}",
                T(
                    "input %(name)s: %(attribute)s is only for number and integer inputs, "
                    "not for a %(type)s input",
                    name=name,
                    attribute=attribute,
                    type=spec["type"],
                ),
            )
    if "projection" in spec and spec.get("source") == "plan":
        problems.error(
            f"{path}/projection",
            T(
                "input %(name)s: a plan value (source: plan) is set before the period and "
                "is not projected; remove projection or set source: submission",
                name=name,
            ),
        )


def read_dimensions(document: Mapping, problems: Problems) -> tuple[Dimension, ...]:
    """The dimensions with their weight ranges."""
    result = []
    for i, item in items(document, "dimensions"):
        if not isinstance(item.get("key"), str):
            continue
        rng = item.get("weight_range")
        weight_range = None
        if isinstance(rng, list) and len(rng) == 2 and all(is_number(x) for x in rng):
            if rng[0] > rng[1]:
                problems.error(
                    pointer("dimensions", i, "weight_range"),
                    wording.about(
                        wording.dimension(item["key"], item.get("name")),
                        T(
                            "weight_range [%(low)s, %(high)s] is reversed; write the lower bound "
                            "first",
                            low=rng[0],
                            high=rng[1],
                        ),
                    ),
                )
            weight_range = (float(rng[0]), float(rng[1]))
        result.append(Dimension(item["key"], text(item.get("name"), item["key"]), weight_range))
    return tuple(result)


def read_bands(document: Mapping, problems: Problems) -> tuple[Band, ...]:
    """The rating bands, checked to be ordered by min, highest first, the last covering 0."""
    bands = [
        Band(item["key"], text(item.get("label"), item["key"]), float(item["min"]),
             float(item["bonus_multiplier"]) if is_number(item.get("bonus_multiplier")) else 1.0)
        for _, item in items(document, "rating")
        if isinstance(item.get("key"), str) and is_number(item.get("min"))
    ]  # fmt: skip
    for i in range(1, len(bands)):
        if bands[i].min >= bands[i - 1].min:
            problems.error(
                pointer("rating", i, "min"),
                wording.about(
                    wording.rating_band(bands[i].key, bands[i].label),
                    T(
                        "bands must be ordered by min, highest first; %(min)s is not below "
                        "%(previous)s",
                        min=f"{bands[i].min:g}",
                        previous=f"{bands[i - 1].min:g}",
                    ),
                ),
            )
    if bands and bands[-1].min > 0:
        problems.error(
            pointer("rating", len(bands) - 1, "min"),
            wording.about(
                wording.rating_band(bands[-1].key, bands[-1].label),
                T(
                    "the last band must cover 0 (min 0), otherwise totals below %(min)s have "
                    "no rating",
                    min=f"{bands[-1].min:g}",
                ),
            ),
        )
    return tuple(bands)


def read_streaks(
    document: Mapping, bands: tuple[Band, ...], problems: Problems
) -> tuple[Streak, ...]:
    """The streaks, each naming a rating band."""
    keys = {band.key for band in bands}
    result = []
    for i, item in items(document, "streaks"):
        rating = item.get("rating")
        if not isinstance(rating, str):
            continue  # the schema reports it
        if rating not in keys:
            problems.error(
                pointer("streaks", i, "rating"),
                wording.about(
                    wording.streak(item.get("key"), item.get("label")),
                    T(
                        "rating %(rating)r is not a band key; use one of %(keys)s",
                        rating=item["rating"],
                        keys=", ".join(sorted(keys)),
                    ),
                ),
            )
            continue
        count = item.get("count")
        if (
            isinstance(item.get("key"), str)
            and isinstance(count, int)
            and not isinstance(count, bool)
        ):
            result.append(Streak(item["key"], text(item.get("label"), item["key"]), rating, count))
    return tuple(result)


def read_at_risk(document: Mapping, bands: tuple[Band, ...], problems: Problems) -> tuple[str, ...]:
    """The ratings that flag an employee at risk mid-period (SPEC §10): `tracking.at_risk`,
    default the last band."""
    keys = [band.key for band in bands]
    tracking = document.get("tracking")
    named = tracking.get("at_risk") if isinstance(tracking, Mapping) else None
    if not isinstance(named, list):
        return tuple(keys[-1:])
    found = []
    for i, key in enumerate(named):
        if not isinstance(key, str):
            continue  # the schema reports it
        if key in keys:
            found.append(key)
        else:
            problems.error(
                pointer("tracking", "at_risk", i),
                T(
                    "tracking.at_risk: %(key)s is not a rating band key; use one of %(keys)s",
                    key=repr(key),
                    keys=", ".join(keys),
                ),
            )
    return tuple(found)


def check_distribution(document: Mapping, bands: tuple[Band, ...], problems: Problems) -> None:
    """Distribution guidelines name rating bands and have min_share <= max_share."""
    keys = {band.key for band in bands}
    for i, item in items(document, "distribution"):
        if isinstance(item.get("rating"), str) and item["rating"] not in keys:
            problems.error(
                pointer("distribution", i, "rating"),
                T(
                    "distribution guideline: %(rating)r is not a rating band key",
                    rating=item["rating"],
                ),
            )
        lo, hi = item.get("min_share"), item.get("max_share")
        if is_number(lo) and is_number(hi) and lo > hi:
            problems.error(
                pointer("distribution", i, "min_share"),
                T("distribution guideline: min_share is above max_share"),
            )
