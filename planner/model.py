"""The plan as typed pandas tables, and `build_plan`, which validates raw tables into a Plan."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from .columns import MAX_PROBLEMS_PER_TABLE, Collector, as_text, header, isin, num, parse_column, shown
from .errors import PlanError, Problem
from .isoweeks import week_mondays
from .schema import MAX_SCHEDULE_ROWS, MAX_TEXT_LENGTH, SETTING_BOUNDS, TABLES, WEEK_SPAN, Table

__all__ = ["MAX_PROBLEMS_PER_TABLE", "Plan", "Settings", "build_plan", "empty_table", "setting_problem"]


@dataclass(frozen=True)
class Settings:
    """Plan-wide settings: the title, the consultants' weekly capacity in hours, and re-planning's reach."""

    title: str = "Udrulning af MFR og Budget 2027"
    consultant_capacity_hours: float = 8.0
    # Weeks either side of its template week that re-planning may move an activity without a window.
    move_weeks: int = 2

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
    # Optional tables, after `settings` so positional construction stays as it was.
    council_meetings: pd.DataFrame = field(default_factory=lambda: _typed_empty(TABLES["council_meetings"]))
    status: pd.DataFrame = field(default_factory=lambda: _typed_empty(TABLES["status"]))
    baseline: pd.DataFrame = field(default_factory=lambda: _typed_empty(TABLES["baseline"]))

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
            return f"'{shown(value)}' skal være en tekst"
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
    whole = name in _WHOLE_SETTINGS
    if number is None or not math.isfinite(number) or not low <= number <= high or (whole and number % 1):
        return f"'{shown(value)}' skal være {'et helt tal' if whole else 'et tal'} fra {num(low)} til {num(high)}"
    return None


_WHOLE_SETTINGS = frozenset({"move_weeks"})  # counted in whole weeks


def _typed_empty(spec: Table) -> pd.DataFrame:
    bag = Collector({}, 0, False)
    return _parse_table(empty_table(spec.name), spec, bag)


def _parse_table(raw: pd.DataFrame | None, spec: Table, bag: Collector) -> pd.DataFrame:
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
    headers = [header(c) for c in raw.columns]
    known = set(spec.column_names)
    expected = ", ".join(spec.column_names)
    for name, count in Counter(headers).items():
        if count > 1:
            bag.add(spec.name, None, None, f"kolonnen '{shown(name)}' står {count} gange")
    for number, name in enumerate(headers, start=1):
        if not name:
            bag.add(spec.name, None, None, f"kolonne {number} har ingen overskrift; forventet: {expected}")
        elif name not in known:
            bag.add(spec.name, None, None, f"kolonnen '{shown(name)}' kendes ikke; forventet: {expected}")
    keep = ~pd.Index(headers).duplicated()
    raw = raw.loc[:, keep]
    raw.columns = pd.Index([h for h, k in zip(headers, keep, strict=True) if k])
    texts = {name: as_text(raw[name]) for name in raw.columns if name in known}
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
            out[col.name] = parse_column(texts[col.name], col, spec.name, bag)
        else:  # an optional column left out, or a missing one already reported once (not per row)
            blank_column = pd.Series([""] * n_rows, dtype="string")
            out[col.name] = parse_column(blank_column, replace(col, required=False), spec.name, bag)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n_rows))
    if not missing:
        _check_duplicates(frame, spec, bag)
    return frame


def _check_duplicates(frame: pd.DataFrame, spec: Table, bag: Collector) -> None:
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
        return f"'{shown(key)}' findes allerede (række {bag.row(spec.name, first[joined.iloc[pos]])})"

    bag.add_rows(spec.name, dup, spec.key[-1], message)


def _unknown(
    bag: Collector,
    table: str,
    frame: pd.DataFrame,
    column: str,
    known: pd.Series,
    what: str,
) -> None:
    values = frame[column]
    present = values.notna() & (values.astype("string") != "")
    bad = present & ~isin(values, known)
    bag.add_rows(table, bad, column, lambda pos: f"ukendt {what} '{shown(values.iloc[pos])}'")


def _check_references(t: dict[str, pd.DataFrame], bag: Collector) -> None:
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
    clash = isin(task_ids, t["template"]["activity_id"])
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
    for name in ("template", "overrides", "tasks"):
        # A time alone does not say which day of the week it is on.
        frame = t[name]
        alone = (frame["time"] != "") & (frame["weekday"] == "")
        bag.add_rows(name, alone, "weekday", lambda pos: "et klokkeslæt kræver en ugedag; skriv fx tirsdag")
    _check_cycles(t["dependencies"], bag)


# A template activity's key is `b<wave>/<unit_id>/<activity_id>`; a one-off task's key is its id.
_KEY_RE = re.compile(r"^(b[0-9]+/[^/]+/[^/]+|[^/]+)$")


def _check_progress_tables(t: dict[str, pd.DataFrame], bag: Collector) -> None:
    """Refuse malformed activity keys and backwards baseline weeks; keys of removed activities are kept."""
    for table in ("status", "baseline"):
        keys = t[table]["activity_key"]
        bad = (keys != "") & ~keys.str.match(_KEY_RE).fillna(False).astype(bool)
        for pos in np.flatnonzero(bad.to_numpy(dtype=bool)):
            bag.add(
                table,
                int(pos),
                "activity_key",
                f"'{shown(keys.iloc[pos])}' er ikke en aktivitetsnøgle; skriv fx 'b1/born-familie/workshop' "
                "eller en enkeltaktivitets id (kolonnen activity_key i 'schedule --format csv')",
            )
    base = t["baseline"]
    backwards = (base["start_week"] != "") & (base["end_week"] != "") & (base["end_week"] < base["start_week"])
    bag.add_rows(
        "baseline",
        backwards.fillna(False),
        "end_week",
        lambda pos: f"slutugen {base['end_week'].iloc[pos]} ligger før startugen {base['start_week'].iloc[pos]}",
    )


def _check_cycles(deps: pd.DataFrame, bag: Collector) -> None:
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


def _check_size(t: dict[str, pd.DataFrame], bag: Collector) -> None:
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
    trusted: Mapping[str, pd.DataFrame] | None = None,
) -> Plan:
    """Validate raw tables (text or typed) into a Plan, or raise PlanError listing every problem.

    `names` gives each table the name users know it by (a file name, a sheet, an editor tab);
    `first_row` is the row number of a table's first data row (2 in a file with a header line);
    `labels` names fields by their Danish column headings (as the editor shows them), not by code.
    `trusted` gives tables taken whole from a validated Plan: their rows are used as they are, and
    only the checks across tables (references, sizes, status and baseline) see them again.
    """
    bag = Collector(names or {name: spec.file for name, spec in TABLES.items()}, first_row, labels)
    trusted = trusted or {}
    typed = {
        name: trusted[name] if name in trusted else _parse_table(raw.get(name), spec, bag)
        for name, spec in TABLES.items()
    }
    if not bag.problems:
        _check_size(typed, bag)
    if not bag.problems:
        _check_references(typed, bag)
        _check_progress_tables(typed, bag)
    if bag.problems:
        raise PlanError(bag.report())
    return Plan(**typed, settings=settings or Settings())
