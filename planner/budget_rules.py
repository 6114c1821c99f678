"""The Danish municipal budget process, year by year: its rules with their paragraphs, and the checks.

A budget year B has two parts. The budget is made in year B-1: Økonomiudvalget (ØU) proposes it by
15 September (lov om kommunernes styrelse § 37, stk. 1, with the deadline set in the budget- og
regnskabsbekendtgørelse), Kommunalbestyrelsen (KB) gives it two readings at least three weeks apart
(§ 38, stk. 1) and adopts it by 15 October. The accounts for B are closed in year B+1: KB hands them
to the auditors before 1 May (§ 45, stk. 2; bekendtgørelsens § 8, stk. 1), the auditors report to KB
before 15 June (§ 8, stk. 3), and KB decides on the report and approves the accounts before they go
to Ankestyrelsen by the end of August (§ 45, stk. 2; § 8, stk. 4-5).

A milestone belongs to a budget year by its `budget_year` column; a part of a year is in the plan
when any of its steps is, or any other milestone of that year lies in the part's calendar year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .findings import ERROR, WARNING
from .isoweeks import danish_date, iso_label, week_of
from .schema import BUDGET_STEPS, FINDING_COLUMNS

__all__ = ["ORDER", "STEPS", "Order", "Step", "budget_findings", "meeting_dates"]

Part = Literal["budget", "accounts"]

_BEK = "budget- og regnskabsbekendtgørelsen"


@dataclass(frozen=True)
class Step:
    """One required step of a budget year: who acts, its last lawful day, and the paragraphs behind it."""

    code: str
    part: Part
    body: str
    kind: str
    deadline: tuple[int, int] | None  # last allowed (month, day) in the part's calendar year
    basis: str
    title: str  # `{year}` is the budget year: Budget 2027, or the accounts for 2025
    slug: str  # the end of a generated milestone id

    @property
    def label(self) -> str:
        return BUDGET_STEPS[self.code]

    def year_of(self, budget_year: int) -> int:
        """Return the calendar year this step happens in for `budget_year`."""
        return budget_year - 1 if self.part == "budget" else budget_year + 1

    def deadline_of(self, budget_year: int) -> dt.date:
        """Return the last lawful day of this step for `budget_year` (31 December when no rule sets one)."""
        return dt.date(self.year_of(budget_year), *(self.deadline or (12, 31)))


@dataclass(frozen=True)
class Order:
    """Step `after` must come at least `days` days after step `before` of the same budget year."""

    before: str
    after: str
    days: int
    basis: str


_S37, _S38, _S45 = "styrelseslovens § 37, stk. 1", "styrelseslovens § 38, stk. 1", "styrelseslovens § 45, stk. 2"
_B8 = f"{_BEK}s § 8"

# Sources: lov om kommunernes styrelse (LBK nr. 69 af 23.01.2024) §§ 37, 38, 42, 45 and bekendtgørelse
# nr. 1051 af 15.10.2019 om kommunernes budget- og regnskabsvæsen, revision m.v. § 8; the dates
# 15 September and 15 October are the deadlines the minister sets under §§ 37-38 (see README).
STEPS: dict[str, Step] = {
    s.code: s
    for s in (
        Step("ou_proposal", "budget", "ØU", "political", (9, 15), f"{_S37}, og fristen 15. september i {_BEK}",
             "ØU's forslag til Budget {year} til 1. behandling", "ou-forslag"),
        Step("first_reading", "budget", "KB", "political", None, _S38,
             "1. behandling af Budget {year} i KB", "1-behandling"),
        Step("second_reading", "budget", "KB", "political", (10, 15), f"{_S38}, og fristen 15. oktober i {_BEK}",
             "2. behandling og vedtagelse af Budget {year} i KB", "2-behandling"),
        Step("accounts_to_audit", "accounts", "KB", "legal", (4, 30), f"{_S45}, og {_B8}, stk. 1",
             "KB afgiver årsregnskab {year} til revisionen", "til-revision"),
        Step("audit_report", "accounts", "Revisionen", "legal", (6, 14),
             f"styrelseslovens § 42, stk. 4, og {_B8}, stk. 3",
             "Frist: revisionsberetning om årsregnskab {year} til KB", "revisionsberetning"),
        Step("accounts_approved", "accounts", "KB", "political", (8, 31),
             f"{_S45}, og {_B8}, stk. 4-5",
             "KB godkender årsregnskab {year} og revisionsberetningen", "godkendt"),
    )
}  # fmt: skip

ORDER: tuple[Order, ...] = (
    Order("ou_proposal", "first_reading", 0, f"{_S37}, og {_S38}"),
    Order("first_reading", "second_reading", 21, _S38),
    Order("accounts_to_audit", "audit_report", 0, f"{_S45}, og {_B8}, stk. 3"),
    Order("audit_report", "accounts_approved", 0, _S45),
)


def _process(part: Part, budget_year: int) -> str:
    return f"Budget {budget_year}" if part == "budget" else f"Årsregnskab {budget_year}"


def _finding(
    severity: str, code: str, message: str, suggestion: str, day: pd.Timestamp | None, title: str
) -> dict[str, str]:
    return {
        "severity": severity,
        "code": code,
        "unit_id": "",
        "unit": "",
        "activity_key": "",
        "activity": title,
        "week": iso_label(week_of(day.date())) if day is not None else "",
        "message": message,
        "suggestion": suggestion,
    }


def meeting_dates(council_meetings: pd.DataFrame | None, body: str) -> list[dt.date]:
    """Return the sorted meeting days of `body` (KB or ØU) in the council's meeting list."""
    if council_meetings is None or council_meetings.empty:
        return []
    days = council_meetings.loc[council_meetings["body"] == body, "date"].dropna()
    return sorted({d.date() for d in days})


def _meeting_hint(meetings: list[dt.date], body: str, first: dt.date, last: dt.date, *, latest: bool) -> str:
    fits = [d for d in meetings if first <= d <= last]
    if not fits:
        return ""
    return f", fx på {body}-mødet {danish_date(fits[-1] if latest else fits[0])}"


def _with_years(milestones: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Return the milestones of some budget year, a step's missing year inferred from its date, and warnings."""
    ms = milestones[(milestones["budget_step"] != "") | milestones["budget_year"].notna()].copy()
    ms["year"] = ms["budget_year"].astype("Int64")
    warnings = []
    missing = ms[ms["year"].isna()]
    for idx, code, day, title in zip(
        missing.index, missing["budget_step"], missing["date"], missing["title"], strict=True
    ):
        step = STEPS[str(code)]
        year = day.year + 1 if step.part == "budget" else day.year - 1
        ms.at[idx, "year"] = year
        warnings.append(
            _finding(
                WARNING,
                "budget_year_inferred",
                f"'{title}' ({step.label}) har intet budgetår; regnes til {_process(step.part, year)} ud fra datoen",
                f"Udfyld budgetår med {year}",
                day,
                title,
            )
        )
    return ms, warnings


def _planned(rows: pd.DataFrame, part: Part, budget_year: int) -> bool:
    steps = rows["budget_step"].map(lambda s: STEPS[s].part if s in STEPS else "")
    if (steps == part).any():
        return True
    others = rows.loc[rows["budget_step"] == "", "date"]
    if part == "budget":
        return bool((others < pd.Timestamp(budget_year, 1, 1)).any())
    return bool((others > pd.Timestamp(budget_year, 12, 31)).any())


def _window(step: Step, budget_year: int, dates: dict[str, pd.Timestamp]) -> tuple[dt.date, dt.date]:
    """Return the first and last day `step` may lie on, given its deadline and the steps around it."""
    first, last = dt.date(step.year_of(budget_year), 1, 1), step.deadline_of(budget_year)
    for rule in ORDER:
        if rule.after == step.code and rule.before in dates:
            first = max(first, (dates[rule.before] + pd.Timedelta(days=rule.days)).date())
        if rule.before == step.code and rule.after in dates:
            last = min(last, (dates[rule.after] - pd.Timedelta(days=rule.days)).date())
    return first, last


def _judge_step(
    step: Step, mine: pd.DataFrame, process: str, budget_year: int, dates: dict[str, pd.Timestamp], hint: str
) -> list[dict[str, str]]:
    """Return what is wrong with one step of a budget year: missing, twice, too early or too late."""
    if mine.empty:
        return [
            _finding(
                ERROR,
                "budget_missing",
                f"{process} er med i planen, men {step.label} mangler (jf. {step.basis})",
                f"Tilføj en milepæl med budgettrin '{step.label}' og budgetår {budget_year}{hint}",
                None,
                step.label,
            )
        ]
    found = []
    day: pd.Timestamp = dates[step.code]
    title = str(mine["title"].iloc[0])
    when = danish_date(day.date())
    year, deadline = step.year_of(budget_year), step.deadline_of(budget_year)
    if len(mine) > 1:
        listed = ", ".join(f"'{t}' ({danish_date(d.date())})" for t, d in zip(mine["title"], mine["date"], strict=True))
        found.append(
            _finding(
                ERROR,
                "budget_duplicate",
                f"{process} har {len(mine)} milepæle med budgettrin '{step.label}': {listed}",
                f"Behold én milepæl med budgettrin '{step.label}' for {process}",
                day,
                title,
            )
        )
    if day.year < year:
        verb = "behandles" if step.part == "budget" else "afsluttes"
        other = day.year + 1 if step.part == "budget" else day.year - 1
        found.append(
            _finding(
                ERROR,
                "budget_too_early",
                f"{process}: {step.label} den {when} ligger før {year}; {process} {verb} i {year} (jf. {step.basis})",
                f"Ret datoen til {year}{hint}, eller budgetåret til {other}",
                day,
                title,
            )
        )
    elif day.date() > deadline:
        found.append(
            _finding(
                ERROR,
                "budget_deadline",
                f"{process}: {step.label} den {when} ligger efter fristen {danish_date(deadline)} (jf. {step.basis})",
                f"Læg '{step.label}' senest {danish_date(deadline)}{hint}",
                day,
                title,
            )
        )
    return found


def _judge_part(
    rows: pd.DataFrame, part: Part, budget_year: int, meetings: pd.DataFrame | None
) -> list[dict[str, str]]:
    process = _process(part, budget_year)
    steps = [s for s in STEPS.values() if s.part == part]
    mine = {s.code: rows[rows["budget_step"] == s.code].sort_values("date", kind="stable") for s in steps}
    dates: dict[str, pd.Timestamp] = {code: m["date"].iloc[0] for code, m in mine.items() if len(m)}
    found: list[dict[str, str]] = []
    for step in steps:
        # A suggestion names the latest meeting that keeps the deadline and the steps around it.
        first, last = _window(step, budget_year, {c: d for c, d in dates.items() if c != step.code})
        hint = _meeting_hint(meeting_dates(meetings, step.body), step.body, first, last, latest=True)
        found.extend(_judge_step(step, mine[step.code], process, budget_year, dates, hint))
    for rule in ORDER:
        if rule.before not in dates or rule.after not in dates:
            continue
        early, late = dates[rule.before], dates[rule.after]
        if late >= early + pd.Timedelta(days=rule.days):
            continue
        before, after = STEPS[rule.before], STEPS[rule.after]
        if rule.days and late >= early:
            message = (
                f"{process}: kun {(late - early).days} dage mellem {before.label} ({danish_date(early.date())}) og "
                f"{after.label} ({danish_date(late.date())}); der skal være mindst {rule.days // 7} uger "
                f"({rule.days} dage) imellem (jf. {rule.basis})"
            )
        else:
            message = (
                f"{process}: {after.label} ({danish_date(late.date())}) ligger før {before.label} "
                f"({danish_date(early.date())}) (jf. {rule.basis})"
            )
        first, last = _window(after, budget_year, {c: d for c, d in dates.items() if c != after.code})
        hint = _meeting_hint(meeting_dates(meetings, after.body), after.body, first, last, latest=False)
        found.append(
            _finding(
                ERROR,
                "budget_order",
                message,
                f"Læg '{after.label}' tidligst {danish_date(first)}{hint}, eller '{before.label}' tidligere",
                late,
                str(mine[rule.after]["title"].iloc[0]),
            )
        )
    return found


def budget_findings(milestones: pd.DataFrame, council_meetings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the findings (columns `schema.FINDING_COLUMNS`) of every budget year in `milestones`.

    Each year is judged by its own dates; `council_meetings` (date, body) lets a suggestion name a
    meeting that keeps the deadline.
    """
    ms, found = _with_years(milestones)
    for year in sorted(int(y) for y in ms["year"].dropna().unique()):
        rows = ms[ms["year"] == year]
        for part in ("budget", "accounts"):
            if _planned(rows, part, year):
                found.extend(_judge_part(rows, part, year, council_meetings))
    frame = pd.DataFrame(found, columns=list(FINDING_COLUMNS))
    return frame.astype("string")
