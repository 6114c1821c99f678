"""The plan's tables and their columns, declared once for loading, editing, storing and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from babel.dates import get_day_names

__all__ = [
    "ACTIVITY_KINDS",
    "BUDGET_STEPS",
    "COUNCIL_BODIES",
    "FINDING_COLUMNS",
    "HORIZON_YEARS",
    "MAX_SCHEDULE_ROWS",
    "MILESTONE_KINDS",
    "SCHEDULE_COLUMNS",
    "SETTING_BOUNDS",
    "STATUSES",
    "TABLES",
    "WEEKDAYS",
    "WEEK_SPAN",
    "Column",
    "Table",
]

ColumnType = Literal["text", "int", "float", "week", "date", "month", "weekday", "time"]

# Every week, date and month of a plan lies in these years (both included): a typo such as 0226
# is refused here rather than crashing date arithmetic later.
HORIZON_YEARS: tuple[int, int] = (2000, 2100)
# Two years of weeks: the most an offset, a window, a duration or a lag may span.
WEEK_SPAN = 104
# Numbers without bounds of their own stay within what float64 and int64 both hold exactly.
_ANY_NUMBER: tuple[float, float] = (-(10**15), 10**15)
# Enough for any note or name, and far below Excel's 32,767 characters a cell.
MAX_TEXT_LENGTH = 5000
# Rows of one table, and activities of a whole schedule (units x template + tasks): generous for a
# municipality, and what scheduling and checking handle in seconds.
MAX_TABLE_ROWS = 50_000
MAX_SCHEDULE_ROWS = 500_000
# Plan-wide settings (plan.toml) and their allowed ranges, both ends included.
SETTING_BOUNDS: dict[str, tuple[float, float]] = {"consultant_capacity_hours": (0, 1000), "move_weeks": (0, 52)}

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
# What happened to an activity; the words are Danish and stable (files and scripts use them).
# A missing status row means "planlagt".
STATUSES: tuple[str, ...] = ("planlagt", "i gang", "gennemført", "udskudt", "aflyst")
# One budget year's process: the budget in the year before it, the accounts in the year after it
# (the rules and their paragraphs are in planner/budget_rules.py).
# Monday to Friday in Danish (CLDR), the days an editor may pin an activity to: "tirsdag" or 2.
WEEKDAYS: tuple[str, ...] = tuple(str(get_day_names("wide", locale="da")[day]) for day in range(5))
BUDGET_STEPS: dict[str, str] = {
    "ou_proposal": "ØU's budgetforslag",
    "first_reading": "1. behandling",
    "second_reading": "2. behandling",
    "accounts_to_audit": "regnskab til revision",
    "audit_report": "revisionsberetning",
    "accounts_approved": "regnskab godkendt",
}
# The political bodies whose meeting dates a budget calendar is built from.
COUNCIL_BODIES: dict[str, str] = {"KB": "Kommunalbestyrelsen", "ØU": "Økonomiudvalget"}


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
    # Allowed range, both ends included: values for int and float columns, years for week, date and
    # month columns. None takes the type's default (see `limits`).
    bounds: tuple[float, float] | None = None
    max_length: int = MAX_TEXT_LENGTH

    @property
    def limits(self) -> tuple[float, float] | None:
        """Return the allowed range of the column's values (years for weeks, dates, months); None for text."""
        if self.bounds is not None:
            return self.bounds
        if self.type in ("week", "date", "month"):
            return HORIZON_YEARS
        if self.type in ("int", "float"):
            return _ANY_NUMBER
        return None


@dataclass(frozen=True)
class Table:
    """One table of the plan, stored as `<name>.csv` in a plan folder."""

    name: str
    label: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # An optional table may be left out (no file, or absent from an older stored revision): it is empty.
    required: bool = True
    max_rows: int = MAX_TABLE_ROWS

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _source() -> Column:
    return Column("source", label="kilde")


_WAVES = (0, 99)  # wave 0 leaves room for a pilot
_WEEKS = (-WEEK_SPAN, WEEK_SPAN)
_LENGTH = (1, WEEK_SPAN)
_HOURS = (0, 100)


def _day_and_time() -> tuple[Column, Column]:
    # Optional, so plans and stored revisions from before the calendar export still load.
    return Column("weekday", "weekday", required=False, label="ugedag"), Column(
        "time", "time", required=False, label="klokkeslæt"
    )


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
                Column("wave", "int", label="bølge", bounds=_WAVES),
                Column("name", label="navn"),
                Column("follow_up_month", "month", label="opfølgningsmåned"),
                _source(),
            ),
        ),
        Table(
            "assignments",
            "Enheder i bølger",
            ("unit_id", "wave"),
            (Column("unit_id", label="enhed"), Column("wave", "int", label="bølge", bounds=_WAVES), _source()),
        ),
        Table(
            "template",
            "Ugeplan-skabelon",
            ("activity_id",),
            (
                Column("activity_id", label="aktivitets-id"),
                Column("title", label="titel"),
                Column("kind", choices=tuple(ACTIVITY_KINDS), label="type"),
                Column("offset_weeks", "int", label="uger fra ankeruge", bounds=_WEEKS),
                Column("length_weeks", "int", label="varighed i uger", bounds=_LENGTH),
                Column("window_from", "int", required=False, label="vindue fra", bounds=_WEEKS),
                Column("window_to", "int", required=False, label="vindue til", bounds=_WEEKS),
                Column("hours", "float", required=False, label="timer", bounds=_HOURS),
                Column("participants", required=False, label="deltagere"),
                Column("lead", required=False, label="ansvarlig"),
                *_day_and_time(),
                _source(),
                # The follow-up month whose week plan `source` cites (the minutes decided March's only):
                # a wave of another month follows the same pattern, and its rows say so.
                Column("decided_for", "month", required=False, label="besluttet for måned"),
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
                *_day_and_time(),
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
                Column("wave", "int", required=False, label="bølge", bounds=_WAVES),
                Column("start_week", "week", label="startuge"),
                Column("end_week", "week", label="slutuge"),
                Column("hours", "float", required=False, label="timer", bounds=_HOURS),
                Column("participants", required=False, label="deltagere"),
                Column("lead", required=False, label="ansvarlig"),
                Column("not_before", "date", required=False, label="tidligst"),
                Column("not_after", "date", required=False, label="senest"),
                *_day_and_time(),
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
                Column("lag_weeks", "int", label="mellemrum i uger", bounds=(0, WEEK_SPAN)),
                _source(),
            ),
            # A plan has tens; checking costs some 70 ms for each dependency that is broken.
            max_rows=500,
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
                # The budget year a milestone belongs to: readings in 2026 for Budget 2027 are 2027,
                # the accounts for 2025 handed to the auditors in 2026 are 2025.
                Column("budget_year", "int", required=False, label="budgetår", bounds=(2000, 2100)),
                _source(),
            ),
        ),
        Table(
            "school_holidays",
            "Skoleferier",
            ("week",),
            (Column("week", "week", label="uge"), Column("name", label="navn"), _source()),
        ),
        # Following the rollout as it happens (optional: plans made before status was kept still load).
        Table(
            "status",
            "Status",
            ("activity_key",),
            (
                Column("activity_key", label="aktivitetsnøgle"),
                Column("status", choices=STATUSES, label="status"),
                Column("note", required=False, label="note"),
                _source(),
            ),
            required=False,
        ),
        Table(
            "baseline",
            "Basisplan",
            ("activity_key",),
            (
                Column("activity_key", label="aktivitetsnøgle"),
                Column("start_week", "week", label="startuge"),
                Column("end_week", "week", label="slutuge"),
                _source(),
            ),
            required=False,
        ),
        Table(
            "council_meetings",
            "Politiske møder",
            ("date", "body"),
            (
                Column("date", "date", label="dato"),
                Column("body", choices=tuple(COUNCIL_BODIES), label="forum"),
                _source(),
            ),
            required=False,
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
    # Added later, so at the end: the day whose month-end data the wave's follow-up uses.
    "data_cutoff",
    # Pinned day and time ("tirsdag", "10:00") or empty: the calendar export makes a timed event of them.
    "weekday",
    "time",
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
