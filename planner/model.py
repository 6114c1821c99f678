"""The plan as typed pandas tables, and `build_plan`, which validates raw tables into a Plan."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from .errors import PlanError, Problem
from .isoweeks import WeekError, iso_label, parse_week
from .schema import TABLES, WEEKDAYS, Column, Table

__all__ = ["Plan", "Settings", "build_plan", "empty_table"]

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")  # 10:00, or 10.00 as Danes write "kl. 10.00"
# A pinned weekday may be written as the day's name, its CLDR abbreviation or its number 1-5.
_WEEKDAY_INPUT = {
    **{name: name for name in WEEKDAYS},
    **{str(number): name for number, name in enumerate(WEEKDAYS, start=1)},
    **{abbr: name for abbr, name in zip(("man", "tirs", "ons", "tors", "fre"), WEEKDAYS, strict=True)},
}


@dataclass(frozen=True)
class Settings:
    """Plan-wide settings: the title, the finance consultants' weekly capacity in hours, and how far
    re-planning may move an activity whose template gives no window (weeks either side of its week)."""

    title: str = "Udrulning af MFR og Budget 2027"
    consultant_capacity_hours: float = 8.0
    move_weeks: int = 2


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
    # Optional tables, after `settings` so positional construction stays as it was.
    council_meetings: pd.DataFrame = field(default_factory=lambda: _typed_empty("council_meetings"))
    status: pd.DataFrame = field(default_factory=lambda: _typed_empty("status"))
    baseline: pd.DataFrame = field(default_factory=lambda: _typed_empty("baseline"))

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


class _Collector:
    """Gathers problems with the table label and the row number a user sees."""

    def __init__(self, names: Mapping[str, str], first_row: int, labels: bool) -> None:
        self.names = names
        self.first_row = first_row
        self.labels = labels
        self.problems: list[Problem] = []

    def add(self, table: str, position: int | None, column: str | None, message: str) -> None:
        row = None if position is None else position + self.first_row
        if self.labels and column and table in TABLES:
            column = next((c.label for c in TABLES[table].columns if c.name == column and c.label), column)
        self.problems.append(Problem(self.names.get(table, table), row, column, message))


def _parse_column(values: pd.Series, col: Column, table: str, bag: _Collector) -> pd.Series:
    text = values.map(_text).astype("string")
    empty = text == ""
    if col.required:
        for pos in empty.to_numpy().nonzero()[0]:
            bag.add(table, int(pos), col.name, "mangler en værdi")
    if col.choices:
        bad = ~empty & ~text.isin(col.choices)
        for pos in bad.to_numpy().nonzero()[0]:
            bag.add(
                table,
                int(pos),
                col.name,
                f"ukendt værdi '{text.iloc[pos]}'; tilladt er: {', '.join(col.choices)}",
            )
    if col.type in ("int", "float"):
        numbers = pd.to_numeric(text.str.replace(",", ".", regex=False).where(~empty), errors="coerce")
        bad = ~empty & (numbers.isna() | ((numbers % 1 != 0) if col.type == "int" else False))
        word = "et helt tal" if col.type == "int" else "et tal"
        for pos in bad.to_numpy().nonzero()[0]:
            bag.add(table, int(pos), col.name, f"'{text.iloc[pos]}' er ikke {word}")
        return numbers.round().astype("Int64") if col.type == "int" else numbers.astype("Float64")
    if col.type == "week":
        canonical: dict[str, str] = {}
        for raw in text[~empty].unique():
            try:
                canonical[raw] = iso_label(parse_week(raw))
            except WeekError as exc:
                canonical[raw] = ""
                for pos in (text == raw).to_numpy().nonzero()[0]:
                    bag.add(table, int(pos), col.name, f"ugyldig uge: {exc}")
        return text.map(lambda v: canonical.get(v, "")).astype("string")
    if col.type == "date":
        iso = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
        danish = pd.to_datetime(text.where(~empty), format="%d.%m.%Y", errors="coerce")
        dates = iso.fillna(danish)
        for pos in (~empty & dates.isna()).to_numpy().nonzero()[0]:
            bag.add(
                table,
                int(pos),
                col.name,
                f"'{text.iloc[pos]}' er ikke en dato; skriv fx 2026-03-09 eller 09.03.2026",
            )
        return dates.astype("datetime64[s]")
    if col.type == "month":
        out = text.copy()
        for pos in (~empty).to_numpy().nonzero()[0]:
            m = _MONTH_RE.match(str(text.iloc[pos]))
            if m and 1 <= int(m[2]) <= 12:
                out.iloc[int(pos)] = f"{int(m[1]):04d}-{int(m[2]):02d}"
            else:
                bag.add(table, int(pos), col.name, f"'{text.iloc[pos]}' er ikke en måned; skriv fx 2026-03")
        return out
    if col.type == "weekday":
        days = text.str.lower().str.rstrip(".").map(_WEEKDAY_INPUT)
        for pos in (~empty & days.isna()).to_numpy().nonzero()[0]:
            bag.add(table, int(pos), col.name, f"'{text.iloc[pos]}' er ikke en hverdag; skriv mandag-fredag eller 1-5")
        return days.fillna("").astype("string")
    if col.type == "time":
        out = text.copy()
        for pos in (~empty).to_numpy().nonzero()[0]:
            m = _TIME_RE.match(str(text.iloc[pos]))
            if m and int(m[1]) <= 23 and int(m[2]) <= 59:
                out.iloc[int(pos)] = f"{int(m[1]):02d}:{m[2]}"
            else:
                bag.add(table, int(pos), col.name, f"'{text.iloc[pos]}' er ikke et klokkeslæt; skriv fx 10:00")
        return out
    return text


def _parse_table(raw: pd.DataFrame | None, spec: Table, bag: _Collector) -> pd.DataFrame:
    if raw is None:
        if spec.required:
            bag.add(spec.name, None, None, "tabellen mangler")
        raw = empty_table(spec.name)
    raw = raw.reset_index(drop=True)
    missing = [c.name for c in spec.columns if c.required and c.name not in raw.columns]
    for name in missing:
        bag.add(spec.name, None, name, "kolonnen mangler")
    out = {}
    for col in spec.columns:
        if col.name in raw.columns:
            out[col.name] = _parse_column(raw[col.name], col, spec.name, bag)
        else:  # an optional column left out, or a missing one already reported once (not per row)
            blank = pd.Series([""] * len(raw), dtype="string")
            out[col.name] = _parse_column(blank, replace(col, required=False), spec.name, bag)
    frame = pd.DataFrame(out, index=raw.index)
    if not missing:
        keys = frame[list(spec.key)].astype("string")
        dup = keys.duplicated(keep="first")
        for pos in dup.to_numpy().nonzero()[0]:
            key = " / ".join(str(v) for v in keys.iloc[pos])
            first = int((keys == keys.iloc[pos]).all(axis=1).to_numpy().nonzero()[0][0] + bag.first_row)
            bag.add(spec.name, int(pos), spec.key[-1], f"'{key}' findes allerede (række {first})")
    return frame


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
    bad = present & ~values.isin(known.dropna().unique())
    for pos in bad.to_numpy().nonzero()[0]:
        bag.add(table, int(pos), column, f"ukendt {what} '{values.iloc[pos]}'")


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

    clash = t["tasks"]["task_id"].isin(t["template"]["activity_id"])
    for pos in clash.to_numpy().nonzero()[0]:
        bag.add("tasks", int(pos), "task_id", f"'{t['tasks']['task_id'].iloc[pos]}' bruges allerede i skabelonen")

    tpl = t["template"]
    for pos in (tpl["length_weeks"] < 1).fillna(False).to_numpy().nonzero()[0]:
        bag.add("template", int(pos), "length_weeks", "varigheden skal være mindst 1 uge")
    one_sided = tpl["window_from"].isna() != tpl["window_to"].isna()
    for pos in one_sided.to_numpy().nonzero()[0]:
        bag.add("template", int(pos), "window_to", "et vindue skal have både 'fra' og 'til'")
    outside = ((tpl["offset_weeks"] < tpl["window_from"]) | (tpl["offset_weeks"] > tpl["window_to"])).fillna(False)
    for pos in outside.to_numpy().nonzero()[0]:
        bag.add("template", int(pos), "offset_weeks", "ugen ligger uden for aktivitetens vindue")

    for name in ("template", "overrides", "tasks"):
        # A time alone does not say which day of the week it is on.
        frame = t[name]
        for pos in ((frame["time"] != "") & (frame["weekday"] == "")).to_numpy().nonzero()[0]:
            bag.add(name, int(pos), "weekday", "et klokkeslæt kræver en ugedag; skriv fx tirsdag")

    tasks = t["tasks"]
    backwards = (tasks["end_week"] != "") & (tasks["start_week"] != "") & (tasks["end_week"] < tasks["start_week"])
    for pos in backwards.fillna(False).to_numpy().nonzero()[0]:
        bag.add(
            "tasks",
            int(pos),
            "end_week",
            f"slutugen {tasks['end_week'].iloc[pos]} ligger før startugen {tasks['start_week'].iloc[pos]}",
        )
    inverted = (tasks["not_after"] < tasks["not_before"]).fillna(False)
    for pos in inverted.to_numpy().nonzero()[0]:
        bag.add("tasks", int(pos), "not_after", "'senest' ligger før 'tidligst'")
    _check_cycles(t["dependencies"], bag)


# A template activity's key is `b<wave>/<unit_id>/<activity_id>`; a one-off task's key is its id.
_KEY_RE = re.compile(r"^(b\d+/[^/]+/[^/]+|[^/]+)$")


def _check_progress_tables(t: dict[str, pd.DataFrame], bag: _Collector) -> None:
    """Refuse malformed activity keys and backwards baseline weeks; keys of removed activities are kept."""
    for table in ("status", "baseline"):
        keys = t[table]["activity_key"]
        bad = (keys != "") & ~keys.str.match(_KEY_RE).fillna(False).astype(bool)
        for pos in bad.to_numpy().nonzero()[0]:
            bag.add(
                table,
                int(pos),
                "activity_key",
                f"'{keys.iloc[pos]}' er ikke en aktivitetsnøgle; skriv fx 'b1/born-familie/workshop' "
                "eller en enkeltaktivitets id (kolonnen activity_key i 'schedule --format csv')",
            )
    base = t["baseline"]
    backwards = (base["start_week"] != "") & (base["end_week"] != "") & (base["end_week"] < base["start_week"])
    for pos in backwards.fillna(False).to_numpy().nonzero()[0]:
        bag.add(
            "baseline",
            int(pos),
            "end_week",
            f"slutugen {base['end_week'].iloc[pos]} ligger før startugen {base['start_week'].iloc[pos]}",
        )


def _typed_empty(name: str) -> pd.DataFrame:
    """Return the typed, empty form of table `name` (an optional table left out)."""
    return _parse_table(None, TABLES[name], _Collector({}, 2, False))


def _check_cycles(deps: pd.DataFrame, bag: _Collector) -> None:
    graph: dict[str, list[tuple[str, int]]] = {}
    for pos, (pred, succ) in enumerate(zip(deps["predecessor"], deps["successor"], strict=True)):
        graph.setdefault(str(pred), []).append((str(succ), pos))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt, pos in graph.get(node, []):
            if state.get(nxt) == 1:
                ring = " → ".join([*path[path.index(nxt) :], node, nxt]) if nxt in path else f"{node} → {nxt}"
                bag.add("dependencies", pos, "successor", f"afhængighederne danner en ring: {ring}")
                return True
            if state.get(nxt) is None and visit(nxt, [*path, node]):
                return True
        state[node] = 2
        return False

    for start in list(graph):
        if state.get(start) is None and visit(start, []):
            return


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
        _check_references(typed, bag)
        _check_progress_tables(typed, bag)
    if bag.problems:
        raise PlanError(bag.problems)
    return Plan(**typed, settings=settings or Settings())
