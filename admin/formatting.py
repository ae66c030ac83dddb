"""How the console writes times and numbers: local time to the second, thousands separators."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# China has kept UTC+8 without daylight saving since 1991: the fallback when tzdata is absent
SHANGHAI = timezone(timedelta(hours=8), "CST")


def timezone_name() -> str:
    """SCORECARD_TIMEZONE, default Asia/Shanghai."""
    return os.environ.get("SCORECARD_TIMEZONE", "").strip() or DEFAULT_TIMEZONE


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return SHANGHAI if name == DEFAULT_TIMEZONE else UTC


def local_time(moment: Any, fmt: str = TIME_FORMAT) -> str:
    """A stored time (naive UTC, aware, or RFC 3339 text) in SCORECARD_TIMEZONE, to the second."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment
    if not isinstance(moment, datetime):
        return str(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone(timezone_name())).strftime(fmt)


def number(value: Any) -> str:
    """A number with thousands separators, its decimals as written (9000000 -> 9,000,000)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else value
        return f"{exact:,f}" if exact.is_finite() else str(value)
    except InvalidOperation:
        return str(value)


def amount(value: Any, unit: str | None = None) -> str:
    """A number with thousands separators and its unit (`9,000,000 元`, `85%`)."""
    text = number(value)
    if not unit or not text:
        return text
    return f"{text}{unit}" if unit in ("%", "％") else f"{text} {unit}"
