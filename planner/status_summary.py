"""The status for Chefforum as of a date: shares done, overdue, slipped, the next four weeks, findings, milestones.

Every table comes ready to show, with Danish headings and text cells, so the app page and the Word
report show the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .checks import check
from .errors import PlanError, Problem
from .findings import ERROR, SEVERITY_LABELS
from .isoweeks import danish_date, week_of
from .model import Plan
from .progress import CLOSED, DONE, progress
from .scheduler import schedule
from .views import department_lookup

__all__ = [
    "MAX_ROWS",
    "OVERDUE_TABLE",
    "PLAN_CHECK_TABLE",
    "PROGRESS_CODES",
    "PROGRESS_TABLE",
    "ChefforumStatus",
    "chefforum_status",
]

MAX_ROWS = 40  # rows per table; the rest is counted in a line below it
_NEXT_WEEKS = 4
# The findings `check` gives only with a date: overdue activities have a table of their own, and a
# follow-up begun before its workshop is a finding on progress. The rest is what `python -m planner
# check` reports, so the report's "plantjek" count is the same number.
OVERDUE_CODE = "overdue"
PROGRESS_CODES = (OVERDUE_CODE, "follow_up_before_workshop")
PLAN_CHECK_TABLE = "Fund i plantjekket"
PROGRESS_TABLE = "Fund om fremdriften"
OVERDUE_TABLE = "Forsinkede aktiviteter"


@dataclass(frozen=True, eq=False)
class ChefforumStatus:
    """What Chefforum is told as of a date, for the whole plan or one department."""

    as_of: dt.date
    department: str | None  # the department's name, or None for the whole plan
    title: str
    sentences: list[str]
    tables: dict[str, pd.DataFrame]  # heading -> table with Danish column names, text cells
    more: dict[str, int]  # heading -> rows left out of that table
    table: pd.DataFrame  # the progress rows behind it (`progress.PROGRESS_COLUMNS`)
    schedule: pd.DataFrame  # the schedule rows shown (all, or the department's)
    findings: pd.DataFrame  # check findings as of the date, for the rows shown

    @property
    def week(self) -> int:
        """Return the ISO week number of the as-of date."""
        return int(week_of(self.as_of).week)


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _week(labels: pd.Series, year: int) -> pd.Series:
    """Return `uge 11` for weeks of `year`, `uge 1 2027` for others; empty stays empty."""
    text = labels.astype("string").fillna("")
    number = text.str[-2:].str.lstrip("0")
    other = text.str[:4] != str(year)
    out = ("uge " + number).where(~other, "uge " + number + " " + text.str[:4])
    return out.where(text != "", "")


def _capped(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    return frame.head(MAX_ROWS).reset_index(drop=True), max(0, len(frame) - MAX_ROWS)


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[(table["change"] != "removed") & (table["status"] != "aflyst")].copy()
    rows["wave_label"] = rows["wave_name"].where(rows["wave_name"] != "", "Uden bølge")
    rows["department_label"] = rows["department"].where(rows["department"] != "", "Fælles")
    rows["done"] = rows["status"] == DONE
    rows["slipped"] = rows["slip_weeks"].fillna(0) > 0
    rows["wave_order"] = rows["wave"].fillna(10**6)
    grouped = (
        rows.groupby(["wave_order", "wave_label", "department_label"], as_index=False)
        .agg(n=("activity_key", "size"), done=("done", "sum"), overdue=("overdue", "sum"), slipped=("slipped", "sum"))
        .sort_values(["wave_order", "department_label"], kind="stable")
    )
    return pd.DataFrame(
        {
            "Bølge": grouped["wave_label"],
            "Afdeling": grouped["department_label"],
            "Aktiviteter": grouped["n"].astype(str),
            "Gennemført": grouped["done"].astype(int).astype(str),
            "Andel": [_pct(int(d), int(n)) for d, n in zip(grouped["done"], grouped["n"], strict=True)],
            "Forsinket": grouped["overdue"].astype(int).astype(str),
            "Skredet": grouped["slipped"].astype(int).astype(str),
        }
    ).reset_index(drop=True)


def _who(rows: pd.DataFrame) -> pd.Series:
    return rows["unit"].where(rows["unit"] != "", "Fælles").astype("string")


def _overdue(table: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = table[table["overdue"]].sort_values(["end_week", "wave", "unit"], kind="stable")
    return pd.DataFrame(
        {
            "Enhed": _who(rows),
            "Aktivitet": rows["activity"],
            "Skulle slutte": _week(rows["end_week"], year),
            "Status": rows["status"],
            "Note": rows["note"],
        }
    )


def _slipped(table: pd.DataFrame, year: int) -> pd.DataFrame:
    moved = table[(table["slip_weeks"].fillna(0) != 0) | (table["start_slip_weeks"].fillna(0) != 0)]
    moved = moved.assign(_abs=moved["slip_weeks"].fillna(0).abs()).sort_values(
        ["_abs", "end_week"], ascending=[False, True], kind="stable"
    )
    slip = moved["slip_weeks"].fillna(0).astype(int)
    return pd.DataFrame(
        {
            "Enhed": _who(moved),
            "Aktivitet": moved["activity"],
            "Basisplan": _week(moved["baseline_end_week"], year),
            "Nu": _week(moved["end_week"], year),
            "Skred": [f"{s:+d} {'uge' if abs(s) == 1 else 'uger'}".replace("-", "−") for s in slip],
            "Status": moved["status"],
        }
    )


def _next_weeks(table: pd.DataFrame, as_of: dt.date, year: int) -> pd.DataFrame:
    """Return what starts in the next four weeks, then what started before and still runs ("i gang")."""
    monday = pd.Timestamp(as_of - dt.timedelta(days=as_of.weekday()))
    end = monday + pd.Timedelta(weeks=_NEXT_WEEKS)
    rows = table[
        (table["change"] != "removed")
        & (table["start_date"] < end)
        & (table["end_date"] >= monday)
        & ~table["status"].isin(CLOSED)
    ]
    if rows.empty:
        return pd.DataFrame(columns=["Uge", "Aktivitet", "Bølge", "Enheder"])
    rows = rows.assign(
        who=_who(rows),
        wave_label=rows["wave_name"].where(rows["wave_name"] != "", "–"),
        ongoing=rows["start_date"] < monday,
    )
    grouped = rows.groupby(
        ["ongoing", "start_week", "end_week", "activity", "wave_label"], as_index=False, sort=True
    ).agg(units=("who", lambda u: sorted(set(u))))
    names = [", ".join(u[:4]) + (f" og {len(u) - 4} andre" if len(u) > 4 else "") for u in grouped["units"]]
    starts, ends = _week(grouped["start_week"], year), _week(grouped["end_week"], year)
    # "uge 5–50", "uge 12–uge 2 2027": a long activity reads as the span it runs, not as starting now.
    spans = [
        s if s == e else (f"{s}–{e.removeprefix('uge ')}" if len(s.split()) == len(e.split()) == 2 else f"{s}–{e}")
        for s, e in zip(starts, ends, strict=True)
    ]
    return pd.DataFrame(
        {
            "Uge": [f"i gang, {w}" if going else w for w, going in zip(spans, grouped["ongoing"], strict=True)],
            "Aktivitet": grouped["activity"],
            "Bølge": grouped["wave_label"],
            "Enheder": names,
        }
    )


def _findings(findings: pd.DataFrame, year: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Alvor": findings["severity"].map(SEVERITY_LABELS),
            "Uge": _week(findings["week"], year),
            "Enhed": findings["unit"],
            "Fund": findings["message"],
        }
    )


def _milestones(plan: Plan, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return every milestone passed and every one coming, by date: none is left out without saying so."""
    ms = plan.milestones.sort_values("date", kind="stable")
    day = pd.Timestamp(as_of)

    def shown(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {"Dato": rows["date"].dt.strftime("%d.%m.%Y"), "Milepæl": rows["title"], "Forum": rows["body"]}
        )

    # The latest passed first: a cut list keeps the recent ones.
    return shown(ms[ms["date"] < day].iloc[::-1]), shown(ms[ms["date"] >= day])


def _sentences(table: pd.DataFrame, findings: pd.DataFrame, as_of: dt.date, week: int) -> list[str]:
    current = table[(table["change"] != "removed") & (table["status"] != "aflyst")]
    done = int((current["status"] == DONE).sum())
    out = [
        f"Pr. {danish_date(as_of)} (uge {week}) er {done} af {_n(len(current), 'aktivitet', 'aktiviteter')} "
        f"gennemført ({_pct(done, len(current))})."
    ]
    now = f"{week_of(as_of).year:04d}-W{week:02d}"
    waves = current[current["wave"].notna()]
    for _, rows in waves.groupby("wave", sort=True):
        name = str(rows["wave_name"].iloc[0])
        first = str(rows["start_week"].min())
        if first > now:
            out.append(f"{name} begynder i uge {int(first[-2:])}.")
            continue
        wave_done = int((rows["status"] == DONE).sum())
        late = int(rows["overdue"].sum())
        text = f"{name}: {wave_done} af {len(rows)} gennemført"
        out.append(text + (f", {late} forsinket." if late else "."))
    overdue = int(current["overdue"].sum())
    if overdue:
        what = _n(overdue, "aktivitet er", "aktiviteter er")
        out.append(f"{what} forsinket: slutugen er passeret, uden at de er gennemført.")
    else:
        out.append("Ingen aktiviteter er forsinket.")
    slip = current["slip_weeks"].fillna(0)
    later = current[slip > 0]
    if len(later):
        worst = later.sort_values("slip_weeks", ascending=False, kind="stable").iloc[0]
        who = f"{worst['unit']}: " if worst["unit"] else ""
        out.append(
            f"{_n(len(later), 'aktivitet', 'aktiviteter')} slutter senere end i basisplanen, mest "
            f"{_n(int(worst['slip_weeks']), 'uge', 'uger')} ({who}{worst['activity']})."
        )
    elif len(table) and (table["baseline_end_week"] != "").any():
        out.append("Intet er skredet i forhold til basisplanen.")
    else:
        out.append("Der er ingen basisplan at måle forskydninger mod.")
    new = int((table["change"] == "new").sum())
    gone = int((table["change"] == "removed").sum())
    if (new or gone) and (table["baseline_end_week"] != "").any():
        out.append(f"Siden basisplanen er {_n(new, 'aktivitet', 'aktiviteter')} kommet til og {gone} udgået.")
    plan_check = findings[~findings["code"].isin(PROGRESS_CODES)]
    errors = int((plan_check["severity"] == ERROR).sum())
    out.append(
        f"Plantjekket giver {_n(errors, 'fejl', 'fejl')} og {_n(len(plan_check) - errors, 'advarsel', 'advarsler')} "
        f"(tabellen '{PLAN_CHECK_TABLE}'); de forsinkede aktiviteter er ikke talt med her."
    )
    on_progress = findings[findings["code"].isin(PROGRESS_CODES) & (findings["code"] != OVERDUE_CODE)]
    if len(on_progress):
        out.append(
            f"Fremdriften giver {_n(len(on_progress), 'advarsel', 'advarsler')} ud over forsinkelserne "
            f"(tabellen '{PROGRESS_TABLE}')."
        )
    return out


def chefforum_status(
    plan: Plan,
    as_of: dt.date,
    *,
    department: str | None = None,
    sched: pd.DataFrame | None = None,
) -> ChefforumStatus:
    """Return the status for Chefforum as of `as_of`, for the whole plan or one department (name or id)."""
    sched = schedule(plan) if sched is None else sched
    findings = check(plan, sched, as_of=as_of)
    table = progress(plan, sched, as_of)
    name = None
    if department:
        dep_id = department_lookup(plan, department)
        if dep_id is None:
            known = ", ".join(plan.departments["name"])
            raise PlanError(Problem("", None, "department", f"afdelingen '{department}' findes ikke; kendte: {known}"))
        name = str(plan.departments.set_index("department_id").loc[dep_id, "name"])
        units = set(plan.units.loc[plan.units["department_id"] == dep_id, "unit_id"])
        table = table[table["department_id"] == dep_id].reset_index(drop=True)
        sched = sched[sched["department_id"] == dep_id]
        findings = findings[findings["unit_id"].isin(units)].reset_index(drop=True)
    year = as_of.year
    week = int(week_of(as_of).week)
    passed, coming = _milestones(plan, as_of)
    full = {
        "Andel gennemført pr. bølge og afdeling": _shares(table),
        OVERDUE_TABLE: _overdue(table, year),
        "Skredet i forhold til basisplanen": _slipped(table, year),
        f"De næste {_NEXT_WEEKS} uger": _next_weeks(table, as_of, year),
        # Overdue activities have their own table above; the findings are split as the summary counts them.
        PLAN_CHECK_TABLE: _findings(findings[~findings["code"].isin(PROGRESS_CODES)], year),
        PROGRESS_TABLE: _findings(
            findings[findings["code"].isin(PROGRESS_CODES) & (findings["code"] != OVERDUE_CODE)], year
        ),
        "Milepæle, der er passeret": passed,
        "Kommende milepæle": coming,
    }
    tables: dict[str, pd.DataFrame] = {}
    more: dict[str, int] = {}
    for heading, frame in full.items():
        tables[heading], more[heading] = _capped(frame.astype("string").fillna(""))
    title = "Status på udrulningen af MFR" + (f" – {name}" if name else "")
    return ChefforumStatus(
        as_of=as_of,
        department=name,
        title=title,
        sentences=_sentences(table, findings, as_of, week),
        tables=tables,
        more=more,
        table=table,
        schedule=sched,
        findings=findings,
    )
