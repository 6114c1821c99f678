"""One column of a plan table: raw values to typed ones within the column's bounds, problems in Danish.

`build_plan` (model.py) hands every column of every table to `parse_column`, with a `Collector`
that gathers what is wrong by table, row and field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .errors import Problem
from .isoweeks import WeekError, iso_label, parse_week
from .schema import TABLES, WEEKDAYS, Column

__all__ = [
    "MAX_PROBLEMS_PER_TABLE",
    "Collector",
    "as_text",
    "header",
    "isin",
    "num",
    "parse_column",
    "shown",
    "text_of",
]

# A report names at most this many problems a table, then says how many more there are.
MAX_PROBLEMS_PER_TABLE = 20


def text_of(value: Any) -> str:
    """Return one cell as stripped text, empty for missing, dates as `2026-03-09`."""
    # Editors hand us typed values, CSV files hand us strings: one text form for both.
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def as_text(values: pd.Series) -> pd.Series:
    """Return a raw column as stripped text, empty for missing."""
    if isinstance(values.dtype, pd.StringDtype) or pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # Text from a file or an editor: no per-cell Python.
        return values.fillna("").astype("string").str.strip()
    try:
        codes, distinct = pd.factorize(values)
    except TypeError:  # unhashable cells: one at a time
        return values.map(text_of).astype("string")
    # Typed values (numbers, dates) repeat: turn each distinct one into text once.
    texts = np.array([text_of(v) for v in distinct] + [""], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="string")


def isin(values: pd.Series, known: pd.Series) -> Any:
    """Return a boolean array: is each value one of `known`?"""
    # An index hashes once; Series.isin on Arrow-backed text builds a Python scalar per value (30x slower).
    return pd.Index(known.dropna().unique()).get_indexer(values) >= 0


def shown(value: object) -> str:
    """Return a value as typed, clipped so a long one does not drown the message."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def num(value: float) -> str:
    """Return a bound the Danish way: `0,5`, `104`, `-104`."""
    return f"{value:g}".replace(".", ",")


def header(name: object) -> str:
    """Return a column heading as the code it names."""
    # Headers typed by hand: stray spaces, capitals and a byte-order mark do not change a column.
    return str(name).replace("\ufeff", "").strip().lower()


class Collector:
    """Gathers problems with the table label and the row number a user sees.

    At most MAX_PROBLEMS_PER_TABLE problems are kept for each table; the rest are counted, so a file
    with a million bad rows gives a short report (and a linear one).
    """

    def __init__(self, names: Mapping[str, str], first_row: int, labels: bool) -> None:
        self.names = names
        self.first_row = first_row
        self.labels = labels
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        # Per table, the position in the raw table of each row kept (blank rows are dropped).
        self.rows: dict[str, np.ndarray] = {}

    def row(self, table: str, position: int) -> int:
        """Return the row number a user sees for a row position in the parsed table."""
        rows = self.rows.get(table)
        return int(rows[position] if rows is not None else position) + self.first_row

    def add(self, table: str, position: int | None, column: str | None, message: str) -> None:
        seen = self.counts.get(table, 0)
        self.counts[table] = seen + 1
        if seen >= MAX_PROBLEMS_PER_TABLE:
            return
        row = None if position is None else self.row(table, position)
        if self.labels and column and table in TABLES:
            column = next((c.label for c in TABLES[table].columns if c.name == column and c.label), column)
        self.problems.append(Problem(self.names.get(table, table), row, column, message))

    def add_rows(self, table: str, mask: Any, column: str | None, message: Callable[[int], str]) -> None:
        """Add a problem for every row where `mask` is true; `message` gets the row's position."""
        positions = np.flatnonzero(np.asarray(pd.Series(mask).fillna(False), dtype=bool))
        room = max(0, MAX_PROBLEMS_PER_TABLE - self.counts.get(table, 0))
        for pos in positions[:room]:
            self.add(table, int(pos), column, message(int(pos)))
        self.counts[table] = self.counts.get(table, 0) + max(0, len(positions) - room)

    def report(self) -> list[Problem]:
        """Return the problems kept, and for each table with more, how many were left out."""
        more = [
            Problem(self.names.get(table, table), None, None, f"og {count - MAX_PROBLEMS_PER_TABLE} problemer mere")
            for table, count in self.counts.items()
            if count > MAX_PROBLEMS_PER_TABLE
        ]
        return self.problems + more


def _parse_numbers(text: pd.Series, present: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)
    values = pd.to_numeric(
        text.str.replace(",", ".", regex=False).where(present).astype(object).to_numpy(), errors="coerce"
    ).astype("float64")
    finite = np.isfinite(values)
    whole = finite & (np.mod(values, 1, where=finite, out=np.zeros_like(values)) == 0)
    good = whole if col.type == "int" else finite
    word = "et helt tal" if col.type == "int" else "et tal"
    allowed = f"; skriv {word} fra {num(low)} til {num(high)}" if col.bounds else ""
    present_ = present.to_numpy()
    bag.add_rows(table, present_ & ~good, col.name, lambda pos: f"'{shown(text.iloc[pos])}' er ikke {word}{allowed}")
    outside = good & ((values < low) | (values > high))
    bag.add_rows(
        table,
        outside,
        col.name,
        lambda pos: (
            f"'{shown(text.iloc[pos])}' er for {'stort' if values[pos] > high else 'lille'}; "
            f"tilladt er {num(low)} til {num(high)}"
        ),
    )
    kept = pd.Series(np.where(good & ~outside, values, np.nan), index=text.index)
    return kept.round().astype("Int64") if col.type == "int" else kept.astype("Float64")


# A parser turns one distinct, non-empty text into a value, or says in Danish why it cannot.
_Parser = Callable[[str], tuple[object, str | None]]


def _per_distinct(text: pd.Series, parse: _Parser, missing: object, col: Column, table: str, bag: Collector) -> Any:
    """Return the parsed value of every row as an object array, parsing each distinct text once."""
    codes, distinct = pd.factorize(text)
    values: list[object] = []
    messages: list[str | None] = []
    for raw in distinct:
        value, message = (missing, None) if raw == "" else parse(str(raw))
        values.append(missing if message else value)
        messages.append(message)
    per_row = np.array([*messages, None], dtype=object)[codes]
    bag.add_rows(table, pd.notna(per_row), col.name, lambda pos: str(per_row[pos]))
    return np.array([*values, missing], dtype=object)[codes]


def _outside(text: str, low: float, high: float) -> str:
    return f"'{shown(text)}' ligger uden for planens år {num(low)} til {num(high)}"


def _parse_weeks(text: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)

    def parse(raw: str) -> tuple[object, str | None]:
        try:
            week = parse_week(raw)
        except WeekError as exc:
            return None, f"ugyldig uge: {exc}"
        if not low <= week.year <= high:
            return None, f"ugyldig uge: {_outside(raw, low, high)}"
        return iso_label(week), None

    return pd.Series(_per_distinct(text, parse, "", col, table, bag), index=text.index, dtype="string")


_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DANISH_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")


def _parse_dates(text: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)

    def parse(raw: str) -> tuple[object, str | None]:
        if m := _ISO_DATE.match(raw):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        elif m := _DANISH_DATE.match(raw):
            year, month, day = int(m[3]), int(m[2]), int(m[1])
        else:
            return None, f"'{shown(raw)}' er ikke en dato; skriv fx 2026-03-09 eller 09.03.2026"
        if not low <= year <= high:
            return None, _outside(raw, low, high)
        try:
            return np.datetime64(dt.date(year, month, day), "s"), None
        except ValueError:
            return None, f"'{shown(raw)}' er ikke en dato; skriv fx 2026-03-09 eller 09.03.2026"

    nat = np.datetime64("NaT", "s")
    values = _per_distinct(text, parse, nat, col, table, bag)
    return pd.Series(values.astype("datetime64[s]"), index=text.index)


def _parse_months(text: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)

    def parse(raw: str) -> tuple[object, str | None]:
        m = _MONTH.match(raw)
        if m is None or not 1 <= int(m[2]) <= 12:
            return None, f"'{shown(raw)}' er ikke en måned; skriv fx 2026-03"
        if not low <= int(m[1]) <= high:
            return None, _outside(raw, low, high)
        return f"{int(m[1]):04d}-{int(m[2]):02d}", None

    return pd.Series(_per_distinct(text, parse, "", col, table, bag), index=text.index, dtype="string")


_TIME = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")  # 10:00, or 10.00 as Danes write "kl. 10.00"
# A pinned weekday may be written as the day's name, its abbreviation or its number 1-5.
_WEEKDAY_INPUT = {
    **{name: name for name in WEEKDAYS},
    **{str(number): name for number, name in enumerate(WEEKDAYS, start=1)},
    **{abbr: name for abbr, name in zip(("man", "tirs", "ons", "tors", "fre"), WEEKDAYS, strict=True)},
}


def _parse_weekdays(text: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    def parse(raw: str) -> tuple[object, str | None]:
        day = _WEEKDAY_INPUT.get(raw.lower().rstrip("."))
        return (day, None) if day else (None, f"'{shown(raw)}' er ikke en hverdag; skriv mandag-fredag eller 1-5")

    return pd.Series(_per_distinct(text, parse, "", col, table, bag), index=text.index, dtype="string")


def _parse_times(text: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    def parse(raw: str) -> tuple[object, str | None]:
        m = _TIME.match(raw)
        if m is None or int(m[1]) > 23 or int(m[2]) > 59:
            return None, f"'{shown(raw)}' er ikke et klokkeslæt; skriv fx 10:00"
        return f"{int(m[1]):02d}:{m[2]}", None

    return pd.Series(_per_distinct(text, parse, "", col, table, bag), index=text.index, dtype="string")


def parse_column(text: pd.Series, col: Column, table: str, bag: Collector) -> pd.Series:
    """Return a column of stripped text typed by `col`, adding a problem for every bad value."""
    long = text.str.len() > col.max_length
    bag.add_rows(table, long, col.name, lambda pos: f"teksten er {len(text.iloc[pos])} tegn; højst {col.max_length}")
    text = text.where(~long, "")
    present = text != ""
    if col.required:
        bag.add_rows(table, ~present & ~long, col.name, lambda pos: "mangler en værdi")
    if col.choices:
        bad = present & ~isin(text, pd.Series(col.choices))
        bag.add_rows(
            table,
            bad,
            col.name,
            lambda pos: f"ukendt værdi '{shown(text.iloc[pos])}'; tilladt er: {', '.join(col.choices)}",
        )
    if col.type in ("int", "float"):
        return _parse_numbers(text, present, col, table, bag)
    if col.type == "week":
        return _parse_weeks(text, col, table, bag)
    if col.type == "date":
        return _parse_dates(text, col, table, bag)
    if col.type == "month":
        return _parse_months(text, col, table, bag)
    if col.type == "weekday":
        return _parse_weekdays(text, col, table, bag)
    if col.type == "time":
        return _parse_times(text, col, table, bag)
    return text
