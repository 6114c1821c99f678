"""Danish wording shared by the chart, the spreadsheet and the app."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

__all__ = ["hours_text"]


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
