"""The plan as typed pandas tables, and `build_plan`, which validates raw tables into a Plan."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from .errors import PlanError, Problem
from .isoweeks import WeekError, iso_label, parse_week, week_mondays
from .schema import MAX_SCHEDULE_ROWS, MAX_TEXT_LENGTH, SETTING_BOUNDS, TABLES, WEEK_SPAN, Column, Table

__all__ = ["MAX_PROBLEMS_PER_TABLE", "Plan", "Settings", "build_plan", "empty_table", "setting_problem"]

# A report names at most this many problems a table, then says how many more there are.
MAX_PROBLEMS_PER_TABLE = 20


@dataclass(frozen=True)
class Settings:
    """Plan-wide settings: the title and the finance consultants' weekly capacity in hours."""

    title: str = "Udrulning af MFR og Budget 2027"
    consultant_capacity_hours: float = 8.0

    def __post_init__(self) -> None:
        # The editor and the store build settings too: a NaN capacity would turn the overload check off.
        problems = [
            Problem("indstillinger", None, f.name, message)
            for f in fields(self)
            if (message := setting_problem(f.name, getattr(self, f.name))) is not None
        ]
        if problems:
            raise PlanError(problems)


@dataclass(frozen=True, eq=False)
class Plan:
    """A validated plan: one typed DataFrame per table of `schema.TABLES`, plus settings."""

    departments: pd.DataFrame
    units: pd.DataFrame
    waves: pd.DataFrame
    assignments: pd.DataFrame
    template: pd.DataFrame
    overrides: pd.DataFrame
    tasks: pd.DataFrame
    dependencies: pd.DataFrame
    milestones: pd.DataFrame
    school_holidays: pd.DataFrame
    settings: Settings = field(default_factory=Settings)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table by name, in schema order."""
        return {name: getattr(self, name) for name in TABLES}

    def with_tables(self, **tables: pd.DataFrame) -> Plan:
        """Return a new validated plan with some tables replaced."""
        raw = self.tables() | tables
        return build_plan(raw, settings=self.settings)

    def with_settings(self, settings: Settings) -> Plan:
        """Return the same plan with other settings."""
        return replace(self, settings=settings)


def empty_table(name: str) -> pd.DataFrame:
    """Return an empty raw table with the columns of `name`."""
    return pd.DataFrame({c: pd.Series(dtype="string") for c in TABLES[name].column_names})


def setting_problem(name: str, value: object) -> str | None:
    """Return why `value` cannot be the setting `name` (in Danish), or None when it can."""
    if name == "title":
        if not isinstance(value, str):
            return f"'{_shown(value)}' skal være en tekst"
        if len(value) > MAX_TEXT_LENGTH:
            return f"titlen er {len(value)} tegn; højst {MAX_TEXT_LENGTH}"
        return None
    low, high = SETTING_BOUNDS[name]
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            number = None
    # `value` as typed: a huge integer stays its digits rather than a float or an int64 wraparound.
    if number is None or not math.isfinite(number) or not low <= number <= high:
        return f"'{_shown(value)}' skal være et tal fra {_num(low)} til {_num(high)}"
    return None


def _text(value: Any) -> str:
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


def _texts(values: pd.Series) -> pd.Series:
    """Return a raw column as stripped text, empty for missing."""
    if isinstance(values.dtype, pd.StringDtype) or pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # Text from a file or an editor: no per-cell Python.
        return values.fillna("").astype("string").str.strip()
    try:
        codes, distinct = pd.factorize(values)
    except TypeError:  # unhashable cells: one at a time
        return values.map(_text).astype("string")
    # Typed values (numbers, dates) repeat: turn each distinct one into text once.
    texts = np.array([_text(v) for v in distinct] + [""], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="string")


def _isin(values: pd.Series, known: pd.Series) -> Any:
    """Return a boolean array: is each value one of `known`?"""
    # An index hashes once; Series.isin on Arrow-backed text builds a Python scalar per value (30x slower).
    return pd.Index(known.dropna().unique()).get_indexer(values) >= 0


def _shown(value: object) -> str:
    """Return a value as typed, clipped so a long one does not drown the message."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _num(value: float) -> str:
    """Return a bound the Danish way: `0,5`, `104`, `-104`."""
    return f"{value:g}".replace(".", ",")


def _header(name: object) -> str:
    # Headers typed by hand: stray spaces, capitals and a byte-order mark do not change a column.
    return str(name).replace("\ufeff", "").strip().lower()


class _Collector:
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


def _parse_numbers(text: pd.Series, present: pd.Series, col: Column, table: str, bag: _Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)
    values = pd.to_numeric(
        text.str.replace(",", ".", regex=False).where(present).astype(object).to_numpy(), errors="coerce"
    ).astype("float64")
    finite = np.isfinite(values)
    whole = finite & (np.mod(values, 1, where=finite, out=np.zeros_like(values)) == 0)
    good = whole if col.type == "int" else finite
    word = "et helt tal" if col.type == "int" else "et tal"
    allowed = f"; skriv {word} fra {_num(low)} til {_num(high)}" if col.bounds else ""
    present_ = present.to_numpy()
    bag.add_rows(table, present_ & ~good, col.name, lambda pos: f"'{_shown(text.iloc[pos])}' er ikke {word}{allowed}")
    outside = good & ((values < low) | (values > high))
    bag.add_rows(
        table,
        outside,
        col.name,
        lambda pos: (
            f"'{_shown(text.iloc[pos])}' er for {'stort' if values[pos] > high else 'lille'}; "
            f"tilladt er {_num(low)} til {_num(high)}"
        ),
    )
    kept = pd.Series(np.where(good & ~outside, values, np.nan), index=text.index)
    return kept.round().astype("Int64") if col.type == "int" else kept.astype("Float64")


# A parser turns one distinct, non-empty text into a value, or says in Danish why it cannot.
_Parser = Callable[[str], tuple[object, str | None]]


def _per_distinct(text: pd.Series, parse: _Parser, missing: object, col: Column, table: str, bag: _Collector) -> Any:
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
    return f"'{_shown(text)}' ligger uden for planens år {_num(low)} til {_num(high)}"


def _parse_weeks(text: pd.Series, col: Column, table: str, bag: _Collector) -> pd.Series:
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


def _parse_dates(text: pd.Series, col: Column, table: str, bag: _Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)

    def parse(raw: str) -> tuple[object, str | None]:
        if m := _ISO_DATE.match(raw):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        elif m := _DANISH_DATE.match(raw):
            year, month, day = int(m[3]), int(m[2]), int(m[1])
        else:
            return None, f"'{_shown(raw)}' er ikke en dato; skriv fx 2026-03-09 eller 09.03.2026"
        if not low <= year <= high:
            return None, _outside(raw, low, high)
        try:
            return np.datetime64(dt.date(year, month, day), "s"), None
        except ValueError:
            return None, f"'{_shown(raw)}' er ikke en dato; skriv fx 2026-03-09 eller 09.03.2026"

    nat = np.datetime64("NaT", "s")
    values = _per_distinct(text, parse, nat, col, table, bag)
    return pd.Series(values.astype("datetime64[s]"), index=text.index)


def _parse_months(text: pd.Series, col: Column, table: str, bag: _Collector) -> pd.Series:
    low, high = col.limits or (-math.inf, math.inf)

    def parse(raw: str) -> tuple[object, str | None]:
        m = _MONTH.match(raw)
        if m is None or not 1 <= int(m[2]) <= 12:
            return None, f"'{_shown(raw)}' er ikke en måned; skriv fx 2026-03"
        if not low <= int(m[1]) <= high:
            return None, _outside(raw, low, high)
        return f"{int(m[1]):04d}-{int(m[2]):02d}", None

    return pd.Series(_per_distinct(text, parse, "", col, table, bag), index=text.index, dtype="string")


def _parse_column(text: pd.Series, col: Column, table: str, bag: _Collector) -> pd.Series:
    """Return a column of stripped text typed by `col`, adding a problem for every bad value."""
    long = text.str.len() > col.max_length
    bag.add_rows(table, long, col.name, lambda pos: f"teksten er {len(text.iloc[pos])} tegn; højst {col.max_length}")
    text = text.where(~long, "")
    present = text != ""
    if col.required:
        bag.add_rows(table, ~present & ~long, col.name, lambda pos: "mangler en værdi")
    if col.choices:
        bad = present & ~_isin(text, pd.Series(col.choices))
        bag.add_rows(
            table,
            bad,
            col.name,
            lambda pos: f"ukendt værdi '{_shown(text.iloc[pos])}'; tilladt er: {', '.join(col.choices)}",
        )
    if col.type in ("int", "float"):
        return _parse_numbers(text, present, col, table, bag)
    if col.type == "week":
        return _parse_weeks(text, col, table, bag)
    if col.type == "date":
        return _parse_dates(text, col, table, bag)
    if col.type == "month":
        return _parse_months(text, col, table, bag)
    return text


def _typed_empty(spec: Table) -> pd.DataFrame:
    bag = _Collector({}, 0, False)
    return _parse_table(empty_table(spec.name), spec, bag)


def _parse_table(raw: pd.DataFrame | None, spec: Table, bag: _Collector) -> pd.DataFrame:
    if raw is None:
        if spec.required:
            bag.add(spec.name, None, None, "tabellen mangler")
        raw = empty_table(spec.name)
    raw = raw.reset_index(drop=True)
    if len(raw) > spec.max_rows:
        bag.add(
            spec.name, None, None, f"tabellen har {len(raw):,} rækker; grænsen er {spec.max_rows:,}".replace(",", ".")
        )
        return _typed_empty(spec)
    headers = [_header(c) for c in raw.columns]
    known = set(spec.column_names)
    expected = ", ".join(spec.column_names)
    for name, count in Counter(headers).items():
        if count > 1:
            bag.add(spec.name, None, None, f"kolonnen '{_shown(name)}' står {count} gange")
    for number, name in enumerate(headers, start=1):
        if not name:
            bag.add(spec.name, None, None, f"kolonne {number} har ingen overskrift; forventet: {expected}")
        elif name not in known:
            bag.add(spec.name, None, None, f"kolonnen '{_shown(name)}' kendes ikke; forventet: {expected}")
    keep = ~pd.Index(headers).duplicated()
    raw = raw.loc[:, keep]
    raw.columns = pd.Index([h for h, k in zip(headers, keep, strict=True) if k])
    texts = {name: _texts(raw[name]) for name in raw.columns if name in known}
    # Rows with nothing in them (blank lines, an editor's new empty row) are left out, not refused;
    # the rows kept keep the row numbers the user sees.
    if texts and len(raw):
        blank = np.logical_and.reduce([t.to_numpy() == "" for t in texts.values()])
        if blank.any():
            bag.rows[spec.name] = np.flatnonzero(~blank)
            texts = {name: t[~blank].reset_index(drop=True) for name, t in texts.items()}
    n_rows = len(next(iter(texts.values()))) if texts else len(raw)
    missing = [c.name for c in spec.columns if c.required and c.name not in texts]
    for name in missing:
        bag.add(spec.name, None, name, "kolonnen mangler")
    out = {}
    for col in spec.columns:
        if col.name in texts:
            out[col.name] = _parse_column(texts[col.name], col, spec.name, bag)
        else:  # an optional column left out, or a missing one already reported once (not per row)
            blank_column = pd.Series([""] * n_rows, dtype="string")
            out[col.name] = _parse_column(blank_column, replace(col, required=False), spec.name, bag)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n_rows))
    if not missing:
        _check_duplicates(frame, spec, bag)
    return frame


def _check_duplicates(frame: pd.DataFrame, spec: Table, bag: _Collector) -> None:
    """Add a problem for every row whose key an earlier row has, naming that row (linear in rows)."""
    keys = frame[list(spec.key)].astype("string").fillna("")
    joined = keys.iloc[:, 0]
    for column in keys.columns[1:]:
        joined = joined + "\x1f" + keys[column]
    # A missing or bad key is reported already. (numpy: DataFrame.all on Arrow booleans is a slow groupby.)
    complete = np.logical_and.reduce([(keys[c] != "").to_numpy(dtype=bool) for c in keys.columns])
    dup = joined.duplicated(keep="first") & complete
    if not dup.any():
        return
    first = dict(zip(joined[~dup], np.flatnonzero(~dup.to_numpy()), strict=True))

    def message(pos: int) -> str:
        key = " / ".join(str(v) for v in keys.iloc[pos])
        return f"'{_shown(key)}' findes allerede (række {bag.row(spec.name, first[joined.iloc[pos]])})"

    bag.add_rows(spec.name, dup, spec.key[-1], message)


def _unknown(
    bag: _Collector,
    table: str,
    frame: pd.DataFrame,
    column: str,
    known: pd.Series,
    what: str,
) -> None:
    values = frame[column]
    present = values.notna() & (values.astype("string") != "")
    bad = present & ~_isin(values, known)
    bag.add_rows(table, bad, column, lambda pos: f"ukendt {what} '{_shown(values.iloc[pos])}'")


def _check_references(t: dict[str, pd.DataFrame], bag: _Collector) -> None:
    _unknown(bag, "units", t["units"], "department_id", t["departments"]["department_id"], "afdeling")
    _unknown(bag, "assignments", t["assignments"], "unit_id", t["units"]["unit_id"], "enhed")
    _unknown(bag, "assignments", t["assignments"], "wave", t["waves"]["wave"], "bølge")
    _unknown(bag, "overrides", t["overrides"], "unit_id", t["units"]["unit_id"], "enhed")
    _unknown(bag, "overrides", t["overrides"], "activity_id", t["template"]["activity_id"], "aktivitet")
    _unknown(bag, "tasks", t["tasks"], "unit_id", t["units"]["unit_id"], "enhed")
    _unknown(bag, "tasks", t["tasks"], "wave", t["waves"]["wave"], "bølge")
    activities = pd.concat([t["template"]["activity_id"], t["tasks"]["task_id"]], ignore_index=True)
    for column in ("predecessor", "successor"):
        _unknown(bag, "dependencies", t["dependencies"], column, activities, "aktivitet")

    task_ids = t["tasks"]["task_id"]
    clash = _isin(task_ids, t["template"]["activity_id"])
    bag.add_rows("tasks", clash, "task_id", lambda pos: f"'{task_ids.iloc[pos]}' bruges allerede i skabelonen")

    tpl = t["template"]
    one_sided = tpl["window_from"].isna() != tpl["window_to"].isna()
    bag.add_rows("template", one_sided, "window_to", lambda pos: "et vindue skal have både 'fra' og 'til'")
    reversed_window = (tpl["window_from"] > tpl["window_to"]).fillna(False)
    bag.add_rows(
        "template",
        reversed_window,
        "window_to",
        lambda pos: f"vinduet slutter ({tpl['window_to'].iloc[pos]}) før det begynder ({tpl['window_from'].iloc[pos]})",
    )
    outside = ((tpl["offset_weeks"] < tpl["window_from"]) | (tpl["offset_weeks"] > tpl["window_to"])).fillna(False)
    bag.add_rows(
        "template", outside & ~reversed_window, "offset_weeks", lambda pos: "ugen ligger uden for aktivitetens vindue"
    )

    tasks = t["tasks"]
    both = (tasks["end_week"] != "") & (tasks["start_week"] != "")
    backwards = both & (tasks["end_week"] < tasks["start_week"])
    bag.add_rows(
        "tasks",
        backwards,
        "end_week",
        lambda pos: f"slutugen {tasks['end_week'].iloc[pos]} ligger før startugen {tasks['start_week'].iloc[pos]}",
    )
    weeks = pd.Series(0, index=tasks.index)
    if both.any():
        span = week_mondays(tasks.loc[both, "end_week"]) - week_mondays(tasks.loc[both, "start_week"])
        weeks.loc[both] = span.dt.days // 7 + 1
    bag.add_rows(
        "tasks",
        weeks > WEEK_SPAN,
        "end_week",
        lambda pos: f"aktiviteten varer {weeks.iloc[pos]} uger; højst {WEEK_SPAN}",
    )
    inverted = (tasks["not_after"] < tasks["not_before"]).fillna(False)
    bag.add_rows("tasks", inverted, "not_after", lambda pos: "'senest' ligger før 'tidligst'")
    _check_cycles(t["dependencies"], bag)


def _check_cycles(deps: pd.DataFrame, bag: _Collector) -> None:
    graph: dict[str, list[tuple[str, int]]] = {}
    for pos, (pred, succ) in enumerate(zip(deps["predecessor"], deps["successor"], strict=True)):
        graph.setdefault(str(pred), []).append((str(succ), pos))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    # Depth first without recursion: a chain of thousands of dependencies must not hit Python's stack limit.
    for start in graph:
        if start in state:
            continue
        state[start] = 1
        path = [start]
        stack = [iter(graph[start])]
        while stack:
            for nxt, pos in stack[-1]:
                if state.get(nxt) == 1:
                    ring = " → ".join([*path[path.index(nxt) :], nxt])
                    bag.add("dependencies", pos, "successor", f"afhængighederne danner en ring: {ring}")
                    return
                if nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append(iter(graph.get(nxt, ())))
                    break
            else:
                state[path.pop()] = 2
                stack.pop()


def _check_size(t: dict[str, pd.DataFrame], bag: _Collector) -> None:
    activities = len(t["assignments"]) * len(t["template"]) + len(t["tasks"])
    if activities > MAX_SCHEDULE_ROWS:
        bag.add(
            "assignments",
            None,
            None,
            f"planen giver {activities:,} aktiviteter (enheder i bølger × skabelonens aktiviteter "
            f"+ enkeltaktiviteter); grænsen er {MAX_SCHEDULE_ROWS:,}".replace(",", "."),
        )


def build_plan(
    raw: Mapping[str, pd.DataFrame],
    *,
    settings: Settings | None = None,
    names: Mapping[str, str] | None = None,
    first_row: int = 2,
    labels: bool = False,
) -> Plan:
    """Validate raw tables (text or typed) into a Plan, or raise PlanError listing every problem.

    `names` gives each table the name users know it by (a file name, a sheet, an editor tab);
    `first_row` is the row number of a table's first data row (2 in a file with a header line);
    `labels` names fields by their Danish column headings (as the editor shows them), not by code.
    """
    bag = _Collector(names or {name: spec.file for name, spec in TABLES.items()}, first_row, labels)
    typed = {name: _parse_table(raw.get(name), spec, bag) for name, spec in TABLES.items()}
    if not bag.problems:
        _check_size(typed, bag)
    if not bag.problems:
        _check_references(typed, bag)
    if bag.problems:
        raise PlanError(bag.report())
    return Plan(**typed, settings=settings or Settings())
