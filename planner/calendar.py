"""The Danish calendar the plan lives in: public holidays, school holidays and poor meeting weeks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays
import pandas as pd

from .isoweeks import iso_label, week_of

__all__ = ["plan_years", "poor_weeks", "public_holidays"]

# Besides the public holidays, these days are off for most municipal staff (domain brief);
# 1 May (Arbejdernes kampdag) is not, so the optional category is not taken whole.
_DAYS_OFF_IN_PRACTICE = frozenset({"Grundlovsdag", "Juleaftensdag", "Nytårsaften"})


def public_holidays(years: Iterable[int]) -> pd.DataFrame:
    """Return the Danish holidays and days off on weekdays in `years`: columns date, week, name."""
    years = sorted(set(years))
    # language="da": without it the names follow the machine's locale.
    public = holidays.country_holidays("DK", years=years, language="da")
    optional = holidays.country_holidays("DK", years=years, language="da", categories=("optional",))
    days = dict(public.items())
    days.update({d: n for d, n in optional.items() if n in _DAYS_OFF_IN_PRACTICE})
    rows = [(d, iso_label(week_of(d)), n) for d, n in sorted(days.items()) if d.weekday() < 5]
    frame = pd.DataFrame(rows, columns=["date", "week", "name"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _lower(name: str) -> str:
    # Danish writes holidays in lower case (skærtorsdag, anden påskedag), as the school holidays
    # are written; only a proper name keeps its capital (Kristi himmelfartsdag).
    return name if name.startswith("Kristi") else name[:1].lower() + name[1:]


def plan_years(first: dt.date, last: dt.date) -> list[int]:
    """Return the calendar years touched by the ISO weeks from `first` to `last`."""
    return list(range(first.year - 1, last.year + 2))


def poor_weeks(school_holidays: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Return the weeks poor for meetings, one row a week: week, reason (Danish, e.g. 'efterårsferie')."""
    public = public_holidays(years)
    public_reason = public.groupby("week", sort=True)["name"].agg(lambda n: ", ".join(_lower(x) for x in n))
    school_reason = school_holidays.groupby("week", sort=True)["name"].agg(lambda n: ", ".join(sorted(set(n))))
    reasons = pd.concat([school_reason, public_reason], axis=1, keys=["school", "public"])
    reason = reasons["school"].fillna("")
    both = reasons["school"].notna() & reasons["public"].notna()
    reason = reason.where(~both, reason + ", " + reasons["public"].fillna(""))
    reason = reason.where(reasons["school"].notna(), reasons["public"])
    out = reason.rename("reason").rename_axis("week").reset_index()
    out["week"] = out["week"].astype("string")
    return out.sort_values("week", ignore_index=True)
