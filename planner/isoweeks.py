"""ISO weeks and Danish dates: the one place the planner turns weeks into dates and back.

Weeks follow ISO 8601 (`%G`/`%V`): Monday first, week 1 holds the year's first Thursday, so
2026 has 53 weeks and 1 January 2027 lies in 2026-W53.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from babel.dates import format_date
from isoweek import Week

__all__ = [
    "Week",
    "WeekError",
    "add_weeks",
    "danish_date",
    "danish_long_date",
    "danish_month",
    "iso_label",
    "parse_week",
    "week_label",
    "week_labels",
    "week_mondays",
    "week_of",
    "week_range",
    "weeks_in_year",
]

LOCALE = "da_DK"

_ISO_RE = re.compile(r"^\s*(\d{4})\s*-?\s*W\s*(\d{1,2})\s*$", re.IGNORECASE)
_UGE_RE = re.compile(r"^\s*uge\s+(\d{1,2})(?:\s*[,/]?\s*(\d{4}))?\s*$", re.IGNORECASE)


class WeekError(ValueError):
    """A text that is not a valid ISO week, with the reason in Danish."""


def weeks_in_year(year: int) -> int:
    """Return the number of ISO weeks in `year` (52 or 53)."""
    return int(Week.last_week_of_year(year).week)


def _checked(year: int, week: int, text: str) -> Week:
    # isoweek.Week(2027, 53) silently rolls over into 2028-W01: refuse it instead.
    if not 1 <= year <= 9999:
        raise WeekError(f"'{text}': året {year} er ugyldigt")
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise WeekError(f"'{text}': {year} har kun uge 1 til {last}")
    return Week(year, week)


def parse_week(text: str, *, default_year: int | None = None) -> Week:
    """Parse `2026-W11`, `2026W11`, `uge 11 2026` or (with `default_year`) `uge 11` into a Week."""
    raw = str(text)
    if m := _ISO_RE.match(raw):
        return _checked(int(m[1]), int(m[2]), raw.strip())
    if m := _UGE_RE.match(raw):
        if m[2] is None and default_year is None:
            raise WeekError(f"'{raw.strip()}': skriv året med, fx 'uge {int(m[1])} 2026' eller '2026-W{int(m[1]):02d}'")
        year = int(m[2]) if m[2] is not None else int(default_year)  # type: ignore[arg-type]
        return _checked(year, int(m[1]), raw.strip())
    raise WeekError(f"'{raw.strip()}' er ikke en uge; skriv fx '2026-W11' eller 'uge 11 2026'")


def week_of(day: dt.date) -> Week:
    """Return the ISO week that contains `day`."""
    return Week.withdate(day)


def iso_label(week: Week) -> str:
    """Return the machine label of a week, `2026-W11`."""
    return f"{week.year:04d}-W{week.week:02d}"


def week_label(week: Week, *, with_year: bool = False) -> str:
    """Return the Danish label of a week, `uge 11`, or `uge 1 2027` with the year."""
    return f"uge {week.week} {week.year}" if with_year else f"uge {week.week}"


def add_weeks(week: Week, n: int) -> Week:
    """Return the week `n` weeks after `week` (before it when `n` is negative)."""
    return week + n


def week_range(first: Week, last: Week) -> list[Week]:
    """Return every week from `first` to `last`, both included."""
    return [first + i for i in range(last - first + 1)]


def danish_date(day: dt.date) -> str:
    """Return `09.03.2026`."""
    return day.strftime("%d.%m.%Y")


def danish_long_date(day: dt.date) -> str:
    """Return `9. marts 2026`."""
    return str(format_date(day, "d. MMMM y", locale=LOCALE))


def danish_month(day: dt.date, *, with_year: bool = False, short: bool = False) -> str:
    """Return the lower-case Danish month name, `marts` (`mar.` short), or `marts 2026` with the year."""
    pattern = ("MMM" if short else "MMMM") + (" y" if with_year else "")
    return str(format_date(day, pattern, locale=LOCALE))


# Vectorised forms for the scheduler: same ISO semantics, pandas speed.


_LABEL_RE = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


def _monday(label: str) -> dt.date:
    m = _LABEL_RE.match(label)
    if m is None:
        raise WeekError(f"'{label}' er ikke en uge; skriv fx '2026-W11'")
    return _checked(int(m[1]), int(m[2]), label).monday()  # type: ignore[no-any-return]


def week_mondays(labels: pd.Series) -> pd.Series:
    """Return the Monday of every `2026-W11` label in `labels` as datetime64; WeekError for a bad label."""
    # A schedule repeats a few hundred weeks over many rows: parse each distinct label once.
    codes, distinct = pd.factorize(labels.astype("string").fillna(""))
    mondays = np.array([_monday(str(label)) for label in distinct], dtype="datetime64[D]")
    return pd.Series(mondays[codes].astype("datetime64[us]"), index=labels.index)


def week_labels(dates: pd.Series) -> pd.Series:
    """Return the `2026-W11` label of the ISO week of every date in `dates` (missing dates stay missing)."""
    days = dates.to_numpy(dtype="datetime64[D]")
    missing = np.isnat(days)
    # ISO arithmetic: a week belongs to the year of its Thursday and is numbered from that year's first.
    ordinal = np.where(missing, 0, days.astype("int64"))
    thursday = ordinal - (ordinal + 3) % 7 + 3  # day 0, 1970-01-01, was a Thursday
    year = thursday.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype("int64")
    week = (thursday - jan1) // 7 + 1
    distinct, inverse = np.unique(year * 100 + week, return_inverse=True)
    texts = np.array([f"{code // 100:04d}-W{code % 100:02d}" for code in distinct.tolist()], dtype=object)
    labels = texts[inverse.reshape(-1)]
    labels[missing] = None
    return pd.Series(labels, index=dates.index, dtype="string")
