"""Danish wording shared by the chart, the spreadsheet and the app."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from fractions import Fraction

import pandas as pd

__all__ = ["choice_text", "count_text", "date_span_text", "hours_text", "short_lines", "weeks_text"]


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


def count_text(n: int, singular: str, plural: str) -> str:
    """Return `1 række` or `3 rækker`: the noun agrees with the number."""
    return f"{n} {singular if n == 1 else plural}"


def choice_text(names: Sequence[str], *, singular: str, plural: str, up_to: int = 2) -> str:
    """Return what a filter selects: `alle afdelinger` for none, `A og B` up to `up_to` names, else `3 afdelinger`."""
    if not names:
        return f"alle {plural}"
    if len(names) > up_to:
        return count_text(len(names), singular, plural)
    return " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def weeks_text(first: dt.date, last: dt.date) -> str:
    """Return `uge 11`, `uge 12–13`, or `uge 52 2026–uge 2 2027` across a year change (ISO weeks)."""
    (y1, w1, _), (y2, w2, _) = first.isocalendar(), last.isocalendar()
    if (y1, w1) == (y2, w2):
        return f"uge {w1}"
    if y1 == y2:
        return f"uge {w1}–{w2}"
    return f"uge {w1} {y1}–uge {w2} {y2}"


def date_span_text(first: dt.date, last: dt.date) -> str:
    """Return `09.03.2026`, `16.03.–29.03.2026`, or both years when the span crosses New Year."""
    if first == last:
        return f"{last:%d.%m.%Y}"
    start = f"{first:%d.%m.}" if first.year == last.year else f"{first:%d.%m.%Y}"
    return f"{start}–{last:%d.%m.%Y}"


def short_lines(text: str, width: int, lines: int = 2, *, keep_end: bool = False) -> list[str]:
    """Return `text` wrapped at `width` characters in at most `lines` lines, shortened with '…'.

    The last line is cut at its end, or with `keep_end` it is the text's own end after '…', so two texts
    that begin alike (`… efter bølge 2`, `… efter bølge 3`) stay apart.
    """
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) <= lines:
        return parts
    parts = parts[:lines]
    if keep_end and lines > 1:
        words = text.split()
        tail = words.pop()
        while words and len(words[-1]) + len(tail) + 2 <= width:
            tail = f"{words.pop()} {tail}"
        parts[-1] = "…" + tail[-(width - 1) :]
    else:
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return parts
