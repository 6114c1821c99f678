"""The Ugeplan's legend: what every colour, symbol and mark in the grid means, laid out per printed page.

The legend sits in the sheet's header block, which repeats as print titles at the top of every page;
each page (a band of week columns) gets its own copy within its own columns, so every printed page
explains itself, on paper in colour and in grey.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .schema import MILESTONE_KINDS

__all__ = ["FLAG", "LegendItem", "flagged_keys", "legend_items", "legend_rows"]

FLAG = "⚠"  # before the label of an activity with a finding (see the Problemer sheet)


@dataclass(frozen=True)
class LegendItem:
    """One entry: an optional sample cell in the grid's own look, then its words."""

    text: str
    style: str  # the words' named style
    sample: tuple[str, object] | None = None  # (named style, value) of a one-week sample cell

    def width(self, chars_per_week: int) -> int:
        """Return the week columns the entry takes: its sample and its words."""
        return (1 if self.sample else 0) + math.ceil(len(self.text) / chars_per_week)


def legend_items(
    *,
    waves: Iterable[tuple[int, str]],
    no_wave: bool,
    holidays: bool,
    milestone_kinds: Iterable[str],
    cutoffs: bool,
    flagged: bool,
    as_of: dt.date | None,
    bar_style: dict[str, str],
    symbols: dict[str, str],
) -> list[LegendItem]:
    """Return the legend entries for what the sheet shows: its waves, marks and milestone kinds.

    `bar_style` names the sample styles: `wave <n>`, `none`, `holiday`, `done`, `overdue`.
    """
    items = [LegendItem(str(name), "mfr_legend", (bar_style[f"wave {number}"], number)) for number, name in waves]
    if no_wave:
        items.append(LegendItem("uden bølge", "mfr_legend", (bar_style["none"], "–")))
    if holidays:
        items.append(LegendItem("ferie/helligdag", "mfr_legend", (bar_style["holiday"], None)))
    kinds = set(milestone_kinds)
    # Each kind in its own colour and named: a '◆ KB' prints orange (politisk) or black (lovkrav).
    items += [
        LegendItem(f"◆ {label} milepæl", f"mfr_milestone_{kind}")
        for kind, label in MILESTONE_KINDS.items()
        if kind in kinds
    ]
    if cutoffs:
        items.append(LegendItem("Data pr.: skæringsdato for data", "mfr_cutoff"))
    if as_of is not None:
        when = f" pr. {as_of:%d.%m.%Y}"
        items.append(LegendItem(f"gennemført{when}", "mfr_legend", (bar_style["done"], symbols["done"])))
        items.append(LegendItem(f"forsinket{when}", "mfr_legend", (bar_style["overdue"], symbols["overdue"])))
    if flagged:
        items.append(LegendItem(f"{FLAG} problem, se arket Problemer", "mfr_legend_flag"))
    return items


def legend_rows(
    items: list[LegendItem], pages: list[int], chars_per_week: int
) -> list[list[tuple[int, int, LegendItem]]]:
    """Return the legend rows: per row (first week column, columns, item), every page getting all items.

    Items follow each other on a row within one page's week columns; one that does not fit starts
    the next row. An item wider than its page is cut to the page (a merged cell never crosses one).
    """
    rows: list[list[tuple[int, int, LegendItem]]] = []
    start = 0
    for end in pages:
        row, col = 0, start
        for item in items:
            width = min(item.width(chars_per_week), end - start)
            if col + width > end:
                row, col = row + 1, start
            while len(rows) <= row:
                rows.append([])
            rows[row].append((col, width, item))
            col += width
        start = end
    return rows


def flagged_keys(findings: pd.DataFrame) -> set[str]:
    """Return the keys of the activities a finding is about."""
    return {str(k) for k in findings["activity_key"] if k}
