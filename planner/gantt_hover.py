"""The Gantt's hover texts: one list of fields builds both the customdata and the hovertemplate.

Plotly's `hovertemplate` indexes `customdata` by position, so each kind of mark declares its fields
once, as (name, template fragment) pairs; the columns and the template are both made from that list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .schema import MILESTONE_KINDS
from .texts import date_span_text, hours_text, short_lines, weeks_text

__all__ = [
    "BAR_FIELDS",
    "BASELINE_FIELDS",
    "CUTOFF_FIELDS",
    "MILESTONE_FIELDS",
    "bar_hover",
    "baseline_hover",
    "cutoff_hover",
    "esc",
    "escape",
    "finding_texts",
    "milestone_hover",
    "template",
]

HOVER_WIDTH = 56  # characters a hover line may hold: the box stays inside a phone's screen

# Fields whose value may be empty carry their own leading '<br>', so an empty one leaves no blank line.
BAR_FIELDS: tuple[tuple[str, str], ...] = (
    ("activity", "<b>{}</b>"),
    ("where", "<br>{}"),
    ("when", "<br>{}"),
    ("who", "{}"),
    ("status", "{}"),
    ("slip", "{}"),
    ("finding", "{}"),
    ("source", "<br><i>Kilde: {}</i>"),
)
MILESTONE_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "<b>{}</b>"),
    ("when", "<br>{}"),
    ("kind", "<br>{}"),
    ("source", "<br><i>Kilde: {}</i>"),
)
BASELINE_FIELDS: tuple[tuple[str, str], ...] = (
    ("activity", "<b>{}</b>"),
    ("when", "<br>Godkendt plan: {}"),
    ("slip", "<br>{}"),
)
CUTOFF_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "<b>{}</b>"),
    ("text", "<br>{}"),
)
_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def template(fields: tuple[tuple[str, str], ...]) -> str:
    """Return the hovertemplate that shows `fields`, each from its position in customdata."""
    parts = [fragment.format(f"%{{customdata[{i}]}}") for i, (_, fragment) in enumerate(fields)]
    return "".join(parts) + "<extra></extra>"


def _stack(fields: tuple[tuple[str, str], ...], columns: Mapping[str, object], n: int) -> np.ndarray:
    # An object array filled column by column: stacking fixed-width unicode arrays would pad every
    # cell to the longest text and cost hundreds of megabytes at 60,000 bars.
    custom = np.empty((n, len(fields)), dtype=object)
    for i, (name, _) in enumerate(fields):
        custom[:, i] = columns[name]
    return custom


def escape(text: str) -> str:
    """Return `text` safe for Plotly's pseudo-HTML: tags become text ('&' stays as typed)."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _distinct_map(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    # Texts are made once per distinct value and then spread: a plan repeats the same names,
    # weeks and sources thousands of times.
    codes, uniques = pd.factorize(values.astype("string").fillna(""))
    made = np.array([fn(str(u)) for u in uniques] or [""], dtype=object)
    return pd.Series(made[codes] if len(codes) else [], index=values.index, dtype="string")


def esc(values: pd.Series) -> pd.Series:
    """Return the values escaped for Plotly: user text must stay text."""
    return _distinct_map(values, escape)


def wrapped(values: pd.Series, width: int = HOVER_WIDTH) -> pd.Series:
    """Return the values escaped and wrapped into lines of at most `width` characters."""
    return _distinct_map(values, lambda t: "<br>".join(escape(p) for p in short_lines(t, width, lines=6)))


def finding_texts(schedule: pd.DataFrame, findings: pd.DataFrame | None) -> pd.Series:
    """Return, for every schedule row, its findings as hover lines (`⚠ …`, `Forslag: …`), or ''."""
    empty = pd.Series("", index=schedule.index, dtype="string")
    if findings is None or findings.empty or schedule.empty:
        return empty
    about = findings[findings["activity_key"] != ""]
    if about.empty:
        return empty
    message = wrapped("⚠ " + about["message"].astype("string"))
    suggestion = wrapped("Forslag: " + about["suggestion"].astype("string"))
    text = message.where(about["suggestion"] == "", message + "<br>" + suggestion)
    by_key = text.groupby(about["activity_key"]).agg("<br>".join)
    return schedule["activity_key"].map(by_key).fillna("").astype("string")


def _spans(schedule: pd.DataFrame) -> pd.Series:
    frame = schedule[["start_date", "end_date"]]
    distinct = frame.drop_duplicates()
    codes = frame.merge(distinct.reset_index(names="i"), on=["start_date", "end_date"], how="left")["i"]
    texts = {
        i: f"{weeks_text(s.date(), e.date())} · {date_span_text(s.date(), e.date())}"
        for i, s, e in zip(distinct.index, distinct["start_date"], distinct["end_date"], strict=True)
    }
    return pd.Series(codes.map(texts).to_numpy(), index=schedule.index, dtype="string")


def bar_hover(schedule: pd.DataFrame, findings: pd.Series, marks: pd.DataFrame | None = None) -> tuple[np.ndarray, str]:
    """Return the customdata and hovertemplate of activity bars: what, where, when, who, status, problem, source.

    `marks` (`status_marks.marks`) adds each bar's status and its slip against the baseline.
    """
    unit = schedule["unit"].where(schedule["unit"] != "", schedule["department"])
    unit = unit.where(unit != "", "Fælles")
    where = esc(unit).where(schedule["wave_name"] == "", esc(unit) + " · " + esc(schedule["wave_name"]))
    people = schedule[["hours", "participants"]].drop_duplicates()
    duration = people["hours"].map(lambda h: hours_text(None if pd.isna(h) else float(h))).astype("string")
    both = (duration != "") & (people["participants"] != "")
    joined = (duration + " · " + people["participants"].astype("string")).where(both, duration + people["participants"])
    people["who"] = wrapped(joined).where(joined == "", "<br>" + wrapped(joined))
    who = schedule[["hours", "participants"]].merge(people, on=["hours", "participants"], how="left")["who"]
    columns = {
        "activity": wrapped(schedule["activity"]).to_numpy(dtype=object),
        "where": where.to_numpy(dtype=object),
        "when": _spans(schedule).to_numpy(dtype=object),
        "who": who.fillna("").to_numpy(dtype=object),
        "status": _line(marks["status_text"]) if marks is not None else "",
        "slip": _line(marks["slip_text"]) if marks is not None else "",
        "finding": findings.where(findings == "", "<br><b>" + findings + "</b>").to_numpy(dtype=object),
        "source": wrapped(schedule["source"]).to_numpy(dtype=object),
    }
    return _stack(BAR_FIELDS, columns, len(schedule)), template(BAR_FIELDS)


def _line(texts: pd.Series) -> np.ndarray:
    """Return texts as hover lines of their own ('<br>' first), empty where a text is empty."""
    made = wrapped(texts.astype("string").fillna(""))
    return made.where(made == "", "<br>" + made).to_numpy(dtype=object)


def baseline_hover(activity: pd.Series, first: pd.Series, last: pd.Series, slip: pd.Series) -> tuple[np.ndarray, str]:
    """Return the customdata and hovertemplate of baseline outlines: what, the approved weeks, the slip."""
    when = [
        f"{weeks_text(f.date(), t.date())} · {date_span_text(f.date(), t.date())}"
        for f, t in zip(first, last, strict=True)
    ]
    columns = {
        "activity": wrapped(activity).to_numpy(dtype=object),
        "when": np.array(when, dtype=object),
        "slip": wrapped(slip.astype("string").fillna("")).to_numpy(dtype=object),
    }
    return _stack(BASELINE_FIELDS, columns, len(activity)), template(BASELINE_FIELDS)


def milestone_hover(rows: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Return the customdata and hovertemplate of milestones: title, forum and date, kind, source."""
    days = rows["date"]
    when = [
        f"{escape(str(body))} · {_WEEKDAYS[d.weekday()]} {d:%d.%m.%Y} (uge {d.isocalendar()[1]})"
        for body, d in zip(rows["body"], days, strict=True)
    ]
    columns = {
        "title": wrapped(rows["title"]).to_numpy(dtype=object),
        "when": np.array(when, dtype=object),
        "kind": rows["kind"].map(lambda k: str(MILESTONE_KINDS.get(str(k), k)).capitalize() + " milepæl").to_numpy(),
        "source": wrapped(rows["source"]).to_numpy(dtype=object),
    }
    return _stack(MILESTONE_FIELDS, columns, len(rows)), template(MILESTONE_FIELDS)


def cutoff_hover(wave_name: str, cutoff: pd.Timestamp, n: int) -> tuple[np.ndarray, str]:
    """Return the customdata and hovertemplate of a wave's data cut-off marker, for `n` rows."""
    columns = {
        "title": f"Skæringsdato for data: {cutoff:%d.%m.%Y}",
        "text": "<br>".join(
            escape(p)
            for p in short_lines(
                f"{wave_name}: økonomiopfølgningen bygger på data pr. {cutoff:%d.%m.%Y}", HOVER_WIDTH, lines=3
            )
        ),
    }
    return _stack(CUTOFF_FIELDS, columns, n), template(CUTOFF_FIELDS)
