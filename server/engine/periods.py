"""Periods: `2025` (year), `2025-H1` (half), `2025-Q3` (quarter), `2025-07` (month)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .language import T

PERIOD_PATTERN = re.compile(r"[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?")
KINDS = ("month", "quarter", "half", "year")
MONTHS_PER_KIND = {"month": 1, "quarter": 3, "half": 6, "year": 12}
# "2026-10 is a month", "evaluated per quarter": the kinds in the words of a sentence
A_PERIOD = {"month": T("a month"), "quarter": T("a quarter"), "half": T("a half-year"),
            "year": T("a year")}  # fmt: skip
PER_PERIOD = {"month": T("per month"), "quarter": T("per quarter"), "half": T("per half-year"),
              "year": T("per year")}  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A parsed period: its text, kind and first and last calendar day."""

    text: str
    kind: str
    year: int
    index: int  # 1-based month, quarter or half; 1 for a year

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * MONTHS_PER_KIND[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        month = self.index * MONTHS_PER_KIND[self.kind]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (negative: earlier) of the same kind."""
        per_year = 12 // MONTHS_PER_KIND[self.kind]
        ordinal = self.year * per_year + (self.index - 1) + steps
        year, index = divmod(ordinal, per_year)
        return make_period(self.kind, year, index + 1)


def make_period(kind: str, year: int, index: int) -> Period:
    """The period of `kind` numbered `index` in `year`."""
    if not 1 <= year <= 9999:
        raise ValueError(T("year %(year)s is out of range", year=year))
    text = {
        "year": f"{year:04d}",
        "half": f"{year:04d}-H{index}",
        "quarter": f"{year:04d}-Q{index}",
        "month": f"{year:04d}-{index:02d}",
    }[kind]
    return Period(text, kind, year, index)


def parse_period(text: object) -> Period:
    """Parse a period string; ValueError says what is wrong."""
    if not isinstance(text, str) or not PERIOD_PATTERN.fullmatch(text):
        raise ValueError(
            T(
                "%(text)r is not a period: use 2025 (year), 2025-H1 (half), 2025-Q3 (quarter) "
                "or 2025-07 (month)",
                text=text if isinstance(text, str) else str(text),
            )
        )
    year = int(text[:4])
    if year < 1:
        raise ValueError(T("%(text)r is not a period: the year must be 0001 or later", text=text))
    if len(text) == 4:
        return Period(text, "year", year, 1)
    tag = text[5]
    if tag == "H":
        return Period(text, "half", year, int(text[6]))
    if tag == "Q":
        return Period(text, "quarter", year, int(text[6]))
    return Period(text, "month", year, int(text[5:7]))


def period_kind(text: str) -> str:
    """The kind (month, quarter, half, year) of a period string."""
    return parse_period(text).kind


def period_containing(day: date, kind: str) -> Period:
    """The period of `kind` that contains `day`."""
    index = (day.month - 1) // MONTHS_PER_KIND[kind] + 1
    return make_period(kind, day.year, index)


def current_period(kind: str, today: date | None = None) -> str:
    """The period of `kind` that contains today (or the day given)."""
    return period_containing(today or date.today(), kind).text


def previous_periods(period: str, count: int) -> list[str]:
    """The `count` periods just before `period`, most recent first (fewer before year 1)."""
    current = parse_period(period)
    result = []
    for step in range(1, count + 1):
        try:
            result.append(current.shifted(-step).text)
        except ValueError:
            break
    return result
