"""Danish wording shared by the chart, the spreadsheet and the app: durations, week spans, sentences."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd

__all__ = ["date_span", "hours_text", "week_span"]


def hours_text(hours: float | None) -> str:
    """Return `½ time`, `1 time`, `1½ time` or `2 timer`; empty when there is no duration."""
    if hours is None or pd.isna(hours) or hours <= 0:
        return ""
    exact = Fraction(hours).limit_denominator(4)
    whole, part = divmod(exact, 1)
    fraction = {Fraction(0): "", Fraction(1, 2): "½", Fraction(1, 4): "¼", Fraction(3, 4): "¾"}.get(part)
    if fraction is None or exact != Fraction(hours):
        return f"{hours:g} timer".replace(".", ",")
    number = (str(whole) if whole else "") + fraction
    return f"{number} time" if hours <= 1.75 else f"{number} timer"


def week_span(start: str, end: str) -> str:
    """Return `uge 11`, `uge 5–6`, or `uge 52 2026–uge 1 2027` across a year change."""
    sy, sw = start[:4], int(start[-2:])
    ey, ew = end[:4], int(end[-2:])
    if start == end:
        return f"uge {sw}"
    if sy == ey:
        return f"uge {sw}–{ew}"
    return f"uge {sw} {sy}–uge {ew} {ey}"


def date_span(start: dt.date, end: dt.date) -> str:
    """Return `09.03.2026–15.03.2026`, or one date when both are the same day."""
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
