"""The plan's tables and their columns, declared once for loading, editing, storing and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACTIVITY_KINDS",
    "BUDGET_STEPS",
    "FINDING_COLUMNS",
    "MILESTONE_KINDS",
    "SCHEDULE_COLUMNS",
    "TABLES",
    "Column",
    "Table",
]

ColumnType = Literal["text", "int", "float", "week", "date", "month"]

# Codes are English and stable (scripts use them); the Danish labels are what users see.
ACTIVITY_KINDS: dict[str, str] = {
    "invitation": "indkaldelse",
    "meeting": "møde",
    "workshop": "workshop",
    "follow-up": "opfølgning",
    "deadline": "frist",
    "preparation": "forberedelse",
}
MILESTONE_KINDS: dict[str, str] = {
    "political": "politisk",
    "administrative": "administrativ",
    "legal": "lovkrav",
}
BUDGET_STEPS: dict[str, str] = {
    "first_reading": "1. behandling",
    "second_reading": "2. behandling",
}


@dataclass(frozen=True)
class Column:
    """One column of a plan table: its name, type, whether a value is required, allowed values.

    A column that is not required may also be left out of a file altogether: it is read as empty,
    so a plan written before the column existed still loads.
    """

    name: str
    type: ColumnType = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Table:
    """One table of the plan, stored as `<name>.csv` in a plan folder."""

    name: str
    label: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # An optional table may be left out (no file, or absent from an older stored revision): it is empty.
    required: bool = True

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _source() -> Column:
    return Column("source", label="kilde")


def _pinned() -> Column:
    # "ja": an editor has fixed the activity's week; re-planning and the checks' advice never move it.
    return Column("pinned", required=False, choices=("ja",), label="låst")


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "departments",
            "Afdelinger",
            ("department_id",),
            (Column("department_id", label="afdelings-id"), Column("name", label="navn"), _source()),
        ),
        Table(
            "units",
            "Enheder",
            ("unit_id",),
            (
                Column("unit_id", label="enheds-id"),
                Column("name", label="navn"),
                Column("department_id", label="afdeling"),
                _source(),
            ),
        ),
        Table(
            "waves",
            "Bølger",
            ("wave",),
            (
                Column("wave", "int", label="bølge"),
                Column("name", label="navn"),
                Column("follow_up_month", "month", label="opfølgningsmåned"),
                _source(),
            ),
        ),
        Table(
            "assignments",
            "Enheder i bølger",
            ("unit_id", "wave"),
            (Column("unit_id", label="enhed"), Column("wave", "int", label="bølge"), _source()),
        ),
        Table(
            "template",
            "Ugeplan-skabelon",
            ("activity_id",),
            (
                Column("activity_id", label="aktivitets-id"),
                Column("title", label="titel"),
                Column("kind", choices=tuple(ACTIVITY_KINDS), label="type"),
                Column("offset_weeks", "int", label="uger fra ankeruge"),
                Column("length_weeks", "int", label="varighed i uger"),
                Column("window_from", "int", required=False, label="vindue fra"),
                Column("window_to", "int", required=False, label="vindue til"),
                Column("hours", "float", required=False, label="timer"),
                Column("participants", required=False, label="deltagere"),
                Column("lead", required=False, label="ansvarlig"),
                _source(),
            ),
        ),
        Table(
            "overrides",
            "Afvigelser pr. enhed",
            ("unit_id", "activity_id"),
            (
                Column("unit_id", label="enhed"),
                Column("activity_id", label="aktivitet"),
                Column("start_week", "week", label="startuge"),
                _source(),
                _pinned(),
            ),
        ),
        Table(
            "tasks",
            "Enkeltaktiviteter",
            ("task_id",),
            (
                Column("task_id", label="aktivitets-id"),
                Column("title", label="titel"),
                Column("kind", choices=tuple(ACTIVITY_KINDS), label="type"),
                Column("unit_id", required=False, label="enhed"),
                Column("wave", "int", required=False, label="bølge"),
                Column("start_week", "week", label="startuge"),
                Column("end_week", "week", label="slutuge"),
                Column("hours", "float", required=False, label="timer"),
                Column("participants", required=False, label="deltagere"),
                Column("lead", required=False, label="ansvarlig"),
                Column("not_before", "date", required=False, label="tidligst"),
                Column("not_after", "date", required=False, label="senest"),
                _source(),
                _pinned(),
            ),
        ),
        Table(
            "dependencies",
            "Afhængigheder",
            ("dependency_id",),
            (
                Column("dependency_id", label="id"),
                Column("predecessor", label="først"),
                Column("successor", label="derefter"),
                Column("lag_weeks", "int", label="mellemrum i uger"),
                _source(),
            ),
        ),
        Table(
            "milestones",
            "Milepæle",
            ("milestone_id",),
            (
                Column("milestone_id", label="id"),
                Column("date", "date", label="dato"),
                Column("title", label="titel"),
                Column("body", label="forum"),
                Column("kind", choices=tuple(MILESTONE_KINDS), label="type"),
                Column("budget_step", required=False, choices=tuple(BUDGET_STEPS), label="budgettrin"),
                _source(),
            ),
        ),
        Table(
            "school_holidays",
            "Skoleferier",
            ("week",),
            (Column("week", "week", label="uge"), Column("name", label="navn"), _source()),
        ),
    )
}

# The schedule: one row per concrete activity of a unit (or a one-off task).
SCHEDULE_COLUMNS: tuple[str, ...] = (
    "activity_key",
    "wave",
    "wave_name",
    "department_id",
    "department",
    "unit_id",
    "unit",
    "activity_id",
    "activity",
    "kind",
    "start_week",
    "end_week",
    "start_date",
    "end_date",
    "window_start_week",
    "window_end_week",
    "hours",
    "participants",
    "lead",
    "source",
)

# The plan checks' findings.
FINDING_COLUMNS: tuple[str, ...] = (
    "severity",
    "code",
    "unit_id",
    "unit",
    "activity_key",
    "activity",
    "week",
    "message",
    "suggestion",
)
