"""The plan's tables as the Danish editor shows them: names for ids, Danish kinds, `uge 16 2026`, 02.12.2025.

Files and the database keep the stable codes: a drop-down stores the code and shows its label, and
what the editor shows is read back by `model.build_plan` (which accepts `uge 16 2026` and dates).
Pure functions: the page turns `EditorColumn`s into Streamlit column settings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .isoweeks import WeekError, parse_week, week_label
from .merge import RowConflict, describe
from .model import Plan
from .schema import ACTIVITY_KINDS, BUDGET_STEPS, COUNCIL_BODIES, MILESTONE_KINDS, TABLES

__all__ = [
    "EMPTY",
    "EditorColumn",
    "conflict_table",
    "danish_week",
    "danish_weeks",
    "display_table",
    "editor_columns",
    "option_labels",
    "raw_from_display",
]

Kind = Literal["select", "text", "date"]
_WEEK_RE = re.compile(r"^\d{4}-W\d{2}$")
# The drop-down value for "no value": Streamlit shows an empty string in a drop-down cell as "None",
# so empty is stored in the editor as this code, shown as an empty cell, and read back as ''.
EMPTY = "–"


@dataclass(frozen=True)
class EditorColumn:
    """How one column is edited: its Danish heading, a kind, drop-down options (code, label), a tooltip."""

    name: str
    heading: str
    kind: Kind
    options: tuple[tuple[str, str], ...] = ()
    help: str = ""


def danish_week(label: str) -> str:
    """Return `uge 16 2026` for `2026-W16`; any other text unchanged ('' stays '')."""
    if not isinstance(label, str):
        return ""
    if not _WEEK_RE.match(label):
        return label
    try:
        return week_label(parse_week(label), with_year=True)
    except WeekError:
        return label


def danish_weeks(values: pd.Series) -> pd.Series:
    """Return every `2026-W16` in `values` as `uge 16 2026`."""
    return values.astype("string").fillna("").map(danish_week).astype("string")


def option_labels(plan: Plan) -> dict[str, tuple[tuple[str, str], ...]]:
    """Return the drop-down options of every id-like column: (stored code, what the user reads)."""
    units = tuple(zip(plan.units["unit_id"], plan.units["name"], strict=True))
    waves = tuple((str(w), str(n)) for w, n in zip(plan.waves["wave"], plan.waves["name"], strict=True))
    activities = tuple(zip(plan.template["activity_id"], plan.template["title"], strict=True))
    tasks = tuple(zip(plan.tasks["task_id"], plan.tasks["title"], strict=True))
    return {
        "unit_id": units,
        "optional_unit_id": ((EMPTY, ""), *units),
        "wave": waves,
        "optional_wave": ((EMPTY, ""), *waves),
        "activity_id": activities,
        "predecessor": activities + tasks,
        "successor": activities + tasks,
        "kind": tuple(ACTIVITY_KINDS.items()),
        "milestone_kind": tuple(MILESTONE_KINDS.items()),
        "budget_step": ((EMPTY, ""), *BUDGET_STEPS.items()),
    }


# What a user reads for a stored code of a fixed list that has a longer Danish name.
_CHOICE_LABELS: dict[str, str] = dict(COUNCIL_BODIES)


def _options_for(table: str, column: str, required: bool, labels: dict[str, tuple[tuple[str, str], ...]]) -> str | None:
    if (table, column) == ("milestones", "kind"):
        return "milestone_kind"
    if column in ("unit_id", "wave") and not required:
        return f"optional_{column}"
    return column if column in labels else None


def editor_columns(plan: Plan, table: str) -> list[EditorColumn]:
    """Return how each column of `table` is edited, in schema order."""
    labels = option_labels(plan)
    out = []
    for col in TABLES[table].columns:
        heading = col.label.capitalize() if col.label else col.name
        tip = f"Kolonnen '{col.name}' i {TABLES[table].file}" + ("" if col.required else " (kan være tom)")
        key = _options_for(table, col.name, col.required, labels)
        if key:
            out.append(EditorColumn(col.name, heading, "select", labels[key], tip))
        elif col.choices:  # any other fixed list of values (forum, låst, …): a drop-down of its own
            choices = tuple((c, _CHOICE_LABELS.get(c, c)) for c in col.choices)
            out.append(
                EditorColumn(col.name, heading, "select", choices if col.required else ((EMPTY, ""), *choices), tip)
            )
        elif col.type == "date":
            out.append(EditorColumn(col.name, heading, "date", (), tip + "; skriv fx 02.12.2025"))
        elif col.type == "week":
            out.append(EditorColumn(col.name, heading, "text", (), tip + "; skriv fx uge 16 2026"))
        else:
            out.append(EditorColumn(col.name, heading, "text", (), tip))
    return out


def _number_text(values: pd.Series) -> pd.Series:
    def one(v: object) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
            return ""
        number = float(v)  # type: ignore[arg-type]
        return str(int(number)) if number.is_integer() else f"{number}".replace(".", ",")

    return values.map(one).astype("string")


def display_table(plan: Plan, table: str) -> pd.DataFrame:
    """Return `table` as the editor shows it: text, weeks as `uge 16 2026`, dates as dates, decimal comma."""
    frame = getattr(plan, table)
    out: dict[str, pd.Series] = {}
    empty_allowed = {c.name for c in editor_columns(plan, table) if (EMPTY, "") in c.options}
    for col in TABLES[table].columns:
        if col.name in empty_allowed:
            out[col.name] = frame[col.name].astype("string").fillna("").replace("", EMPTY)
            continue
        values = frame[col.name]
        if col.type == "week":
            out[col.name] = danish_weeks(values)
        elif col.type == "date":
            out[col.name] = pd.Series(
                [None if pd.isna(v) else pd.Timestamp(v).date() for v in values], index=frame.index, dtype="object"
            )
        elif col.type in ("int", "float"):
            out[col.name] = _number_text(values)
        else:
            out[col.name] = values.astype("string").fillna("")
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def raw_from_display(plan: Plan, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return an edited display table ready for `build_plan`: the empty drop-down code becomes ''."""
    out = frame.copy()
    for col in editor_columns(plan, table):
        if (EMPTY, "") in col.options and col.name in out.columns:
            out[col.name] = out[col.name].astype("object").where(out[col.name].astype("object") != EMPTY, "")
    return out


def _say(table: str, column: str, value: str, labels: dict[str, tuple[tuple[str, str], ...]]) -> str:
    if value == "":
        return "(tom)"
    spec = next((c for c in TABLES[table].columns if c.name == column), None) if table in TABLES else None
    key = _options_for(table, column, spec.required if spec else True, labels) if spec else None
    if key:
        return dict(labels[key]).get(value, value) or "(tom)"
    if spec is not None and spec.type == "week":
        return danish_week(value)
    if spec is not None and spec.type == "date":
        try:
            return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    return value


def conflict_table(conflicts: Iterable[RowConflict], plan: Plan, who: Iterable[str] = ()) -> pd.DataFrame:
    """Return one line per conflicting row: the row by name, the fields, your value and theirs, who changed it."""
    labels = option_labels(plan)
    tables = {name: frame.astype("string") for name, frame in plan.tables().items()}
    rows = []
    for conflict, by in zip(conflicts, [*who, *[""] * 1000], strict=False):
        fields, mine, theirs = [], [], []
        for column in conflict.changed_columns():
            spec = (
                next((c for c in TABLES[conflict.table].columns if c.name == column), None)
                if conflict.table in TABLES
                else None
            )
            fields.append(spec.label if spec and spec.label else column)
            mine.append(
                "(slettet)" if conflict.mine is None else _say(conflict.table, column, conflict.mine[column], labels)
            )
            theirs.append(
                "(slettet)"
                if conflict.theirs is None
                else _say(conflict.table, column, conflict.theirs[column], labels)
            )
        if conflict.mine is None or conflict.theirs is None:
            fields = ["hele rækken"]
            mine = ["(slettet)" if conflict.mine is None else "ændret"]
            theirs = ["(slettet)" if conflict.theirs is None else "ændret"]
        rows.append(
            {
                "Række": describe(conflict, tables),
                "Felt": ", ".join(fields),
                "Din værdi": ", ".join(mine),
                "Deres værdi": ", ".join(theirs),
                "Ændret af": by,
            }
        )
    return pd.DataFrame(rows, columns=["Række", "Felt", "Din værdi", "Deres værdi", "Ændret af"])
