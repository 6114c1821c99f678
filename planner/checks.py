"""Plan checks: what is wrong with a schedule, in Danish, with a suggested fix where there is one.

The suggestions come from the plan's constraint model (`constraints.py`), the same one re-planning
solves: a suggested week satisfies the activity's window or period, its links to the other
activities as they are, the consultants' capacity, and is no poor week for a meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .advice import Adviser
from .budget_rules import budget_findings
from .calendar import plan_years, poor_weeks
from .constraints import ConstraintModel, Move, build_model, label, say
from .findings import ERROR, SEVERITY_LABELS, WARNING, say_week
from .model import Plan
from .progress import progress_findings
from .schema import FINDING_COLUMNS
from .texts import count_text

__all__ = ["ERROR", "SEVERITY_LABELS", "WARNING", "advice", "check", "has_errors", "say_week"]

_MEETING_KINDS = ("meeting", "workshop")
_MOVES = "_moves"  # the suggestion as moves, carried beside the findings until `check` drops it


def _say_end(ends: pd.Series) -> pd.Series:
    """Return `uge 21 (24.05.2026)` for every end date: an activity ends on the Sunday of its last week."""
    iso = pd.DatetimeIndex(ends).isocalendar()
    weeks = pd.Series(iso["week"].astype(str).to_numpy(), index=ends.index)
    text: pd.Series = "uge " + weeks + " (" + ends.dt.strftime("%d.%m.%Y") + ")"
    return text


def _frame(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in (*FINDING_COLUMNS, _MOVES):
        if column not in frame:
            frame[column] = "" if column != _MOVES else None
    return frame[[*FINDING_COLUMNS, _MOVES]]


def _about(rows: pd.DataFrame, *, severity: str, code: str, message: object, suggestion: object) -> pd.DataFrame:
    """Return findings about schedule rows: unit, activity and start week come from the rows."""
    return _frame(
        severity=severity,
        code=code,
        unit_id=rows["unit_id"],
        unit=rows["unit"],
        activity_key=rows["activity_key"],
        activity=rows["activity"],
        week=rows["start_week"],
        message=message,
        suggestion=suggestion,
    )


class _Advisor:
    """Suggestions for findings, each the fewest, nearest moves on the constraint model.

    Units of a wave whose activities lie in the same weeks mostly get the same advice: it is worked
    out once, and for the next such unit only checked again, so thousands of units are advised fast.
    """

    def __init__(self, model: ConstraintModel) -> None:
        self.model = model
        self.adviser = Adviser(model)
        self._cache: dict[object, list[tuple[object, int]]] = {}
        has_unit = np.flatnonzero(model.unit_ids != "").tolist()
        m = model
        rows: dict[str, list[tuple[str, int]]] = {}
        for i in has_unit:
            what = f"{m.waves[i]}/{m.activity_ids[i]}/{m.weeks[i]}/{m.fixed[i]}"
            rows.setdefault(str(m.unit_ids[i]), []).append((what, i))
        self._rows: dict[str, list[int]] = {}
        # A unit's weeks as they are, as one number: units with the same number are alike.
        self._alike: dict[str, int] = {}
        ids: dict[str, int] = {}
        for unit, items in rows.items():
            items.sort()
            self._rows[unit] = [i for _, i in items]
            self._alike[unit] = ids.setdefault("|".join(w for w, _ in items), len(ids))

    def _profile(self, unit: str) -> tuple[object, ...]:
        then, planned = self.adviser.then[0], self.adviser.planned
        moved = tuple((k, int(then[i])) for k, i in enumerate(self._rows[unit]) if i in planned)
        return (self._alike[unit], moved)

    def moves(self, culprits: Sequence[int], need: Mapping[int, float] | None = None) -> tuple[Move, ...]:
        """Return the suggested moves for a finding about `culprits` (the first is the one to move first)."""
        m = self.model
        units = {str(m.unit_ids[c]) for c in culprits}
        unit = units.pop() if len(units) == 1 else ""
        if not unit or need or any(m.task[c] or c in self.adviser.planned for c in culprits):
            return self.adviser.advise(culprits, need=need)
        signature = (tuple(str(m.activity_ids[c]) for c in culprits), int(m.waves[culprits[0]]), self._profile(unit))
        cached = self._cache.get(signature)
        if cached is not None:
            moves = tuple(
                Move(m.index[f"b{where[0]}/{unit}/{where[1]}"], week)
                if isinstance(where, tuple)
                else Move(int(where), week)  # type: ignore[call-overload]
                for where, week in cached
            )
            # No advice stays no advice (kept moves only add limits); advice is checked again.
            if not moves or self.adviser.fits(moves):
                self.adviser.keep(moves)
                return moves
        found = self.adviser.advise(culprits)
        self._cache[signature] = [
            ((int(m.waves[mv.position]), str(m.activity_ids[mv.position])), mv.week)
            if str(m.unit_ids[mv.position]) == unit and not m.task[mv.position]
            else (mv.position, mv.week)
            for mv in found
        ]
        return found

    def text(self, moves: tuple[Move, ...], own: int, *, named: bool, otherwise: str) -> str:
        """Return the suggestion in Danish: `Flyt til uge 19 (04.05.2026); flyt også … til uge 13 (…)`."""
        m = self.model
        if not moves:
            if own >= 0 and m.fixed[own]:
                return f"{m.titles[own]} er låst; ret de andre aktiviteter, eller brug Foreslå løsning"
            return otherwise
        parts = []
        for n, mv in enumerate(moves):
            verb = "Flyt" if n == 0 else "flyt også"
            who = "" if (n == 0 and mv.position == own and not named) else f" {self._name(mv.position, own)}"
            parts.append(f"{verb}{who} til {say(mv.week)}")
        return "; ".join(parts)

    def _name(self, i: int, own: int) -> str:
        m = self.model
        same = own >= 0 and (m.unit_ids[i] == m.unit_ids[own] or not m.unit_ids[i])
        return str(m.titles[i]) if same else m.name(i)

    def suggest(
        self, culprits: Sequence[int], own: int, *, named: bool, otherwise: str
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Return the suggestion's text and its moves as (activity key, ISO week) pairs."""
        moves = self.moves(culprits)
        as_keys = tuple((str(self.model.keys[mv.position]), label(mv.week)) for mv in moves)
        return self.text(moves, own, named=named, otherwise=otherwise), as_keys


def _no_single_move(model: ConstraintModel, i: int) -> str:
    return (
        f"Ingen uge i {model.range_texts[i]} løser det uden flere flytninger; "
        "brug Foreslå løsning under Rediger plan (python -m planner replan)"
    )


def _advised(frame: pd.DataFrame, advisor: _Advisor, positions: Sequence[list[int]], *, named: bool) -> pd.DataFrame:
    """Fill in the suggestion and its moves of every finding; `positions` lists each finding's culprits."""
    texts, moves = [], []
    for culprits in positions:
        text, moved = advisor.suggest(
            culprits, culprits[0], named=named, otherwise=_no_single_move(advisor.model, culprits[0])
        )
        texts.append(text)
        moves.append(moved)
    frame = frame.copy()
    frame["suggestion"] = texts
    frame[_MOVES] = pd.Series(moves, index=frame.index, dtype=object)
    return frame


def _positions(model: ConstraintModel, keys: pd.Series) -> list[int]:
    return [model.index[str(k)] for k in keys]


def _poor_weeks(advisor: _Advisor, sched: pd.DataFrame, poor: pd.DataFrame) -> pd.DataFrame:
    meetings = sched[sched["kind"].isin(_MEETING_KINDS)]
    hit = meetings.merge(poor, left_on="start_week", right_on="week")
    if hit.empty:
        return _frame()
    message = hit["activity"] + " i " + say_week(hit["start_week"]) + " ligger i en uge med " + hit["reason"]
    found = _about(hit, severity=WARNING, code="poor_week", message=message, suggestion="")
    return _advised(found, advisor, [[p] for p in _positions(advisor.model, hit["activity_key"])], named=False)


def _outside_window(advisor: _Advisor, sched: pd.DataFrame) -> pd.DataFrame:
    has = sched["window_start_week"] != ""
    rows = sched[
        has & ((sched["start_week"] < sched["window_start_week"]) | (sched["start_week"] > sched["window_end_week"]))
    ]
    if rows.empty:
        return _frame()
    message = (
        rows["activity"]
        + " ligger i "
        + say_week(rows["start_week"])
        + ", uden for vinduet "
        + say_week(rows["window_start_week"])
        + " til "
        + say_week(rows["window_end_week"])
    )
    found = _about(rows, severity=WARNING, code="outside_window", message=message, suggestion="")
    return _advised(found, advisor, [[p] for p in _positions(advisor.model, rows["activity_key"])], named=False)


def _links(advisor: _Advisor, sched: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Return the broken links of one kind: dependencies (errors) or invitations sent too late."""
    m = advisor.model
    of_kind = m.link_kind == kind
    broken = np.flatnonzero(of_kind & (m.weeks[m.link_after] - m.weeks[m.link_before] < m.link_gap))
    if not len(broken):
        return _frame()
    before = sched.iloc[m.link_before[broken]].reset_index(drop=True)
    after = sched.iloc[m.link_after[broken]].reset_index(drop=True)
    if kind == "dependency":
        lags = pd.Series(m.link_lag[broken])
        lag = lags.map(lambda n: f" og {n} uger efter" if n else "")
        # A shared task after a unit's activity names the unit: three units have a workshop in a wave.
        other_unit = (before["unit"] != "") & (before["unit"] != after["unit"])
        message = (
            before["activity"]
            + (" (" + before["unit"] + ")").where(other_unit, "")
            + " (slutter "
            + _say_end(before["end_date"])
            + ") skal være færdig før "
            + after["activity"]
            + " (starter "
            + say_week(after["start_week"])
            + ")"
            + lag
        )
        found = _about(after, severity=ERROR, code="dependency", message=message, suggestion="")
        culprits = [[int(a), int(b)] for a, b in zip(m.link_after[broken], m.link_before[broken], strict=True)]
    else:
        ahead = pd.Series(m.weeks[m.link_after[broken]] - m.weeks[m.link_before[broken]])
        wanted = pd.Series(m.link_gap[broken])
        # An invitation sent in the meeting's week or after it is not "only -5 weeks before" it.
        gap = ahead.map(
            lambda n: (
                f" ligger kun {count_text(n, 'uge', 'uger')} før "
                if n > 0
                else (" ligger i samme uge som " if n == 0 else f" ligger {count_text(-n, 'uge', 'uger')} efter ")
            )
        )
        message = (
            before["activity"]
            + " i "
            + say_week(before["start_week"])
            + gap
            + after["activity"]
            + " i "
            + say_week(after["start_week"])
            + "; skabelonen har "
            + wanted.map(lambda n: count_text(n, "uge", "uger"))
            + " imellem"
        )
        found = _about(before, severity=WARNING, code="invitation_late", message=message, suggestion="")
        culprits = [[int(b), int(a)] for a, b in zip(m.link_after[broken], m.link_before[broken], strict=True)]
    return _advised(found, advisor, culprits, named=True)


def _date_windows(advisor: _Advisor, plan: Plan, sched: pd.DataFrame) -> pd.DataFrame:
    tasks = plan.tasks[["task_id", "not_before", "not_after"]].rename(columns={"task_id": "activity_id"})
    rows = sched.merge(tasks, on="activity_id")
    early = rows["not_before"].notna() & (rows["end_date"] < rows["not_before"])
    late = rows["not_after"].notna() & (rows["start_date"] > rows["not_after"])
    rows = rows[early | late]
    if rows.empty:
        return _frame()
    period = (
        rows["not_before"].dt.strftime("%d.%m.%Y").fillna("…")
        + "–"
        + rows["not_after"].dt.strftime("%d.%m.%Y").fillna("…")
    )
    message = rows["activity"] + " skal ligge i perioden " + period + ", men ligger i " + say_week(rows["start_week"])
    found = _about(rows, severity=ERROR, code="date_window", message=message, suggestion="")
    return _advised(found, advisor, [[p] for p in _positions(advisor.model, rows["activity_key"])], named=False)


def _wave_membership(plan: Plan) -> pd.DataFrame:
    counts = plan.assignments.groupby("unit_id")["wave"].agg(lambda w: ", ".join(str(v) for v in sorted(w)))
    n = plan.assignments.groupby("unit_id").size()
    units = plan.units.set_index("unit_id")["name"]
    twice = n[n > 1].index
    none = units.index.difference(n.index)
    parts = []
    if len(twice):
        parts.append(
            _frame(
                severity=ERROR,
                code="unit_in_two_waves",
                unit_id=list(twice),
                unit=list(units.reindex(twice)),
                message=["Enheden er med i flere bølger: " + counts[u] for u in twice],
                suggestion="Behold enheden i én bølge",
            )
        )
    if len(none):
        parts.append(
            _frame(
                severity=WARNING,
                code="unit_in_no_wave",
                unit_id=list(none),
                unit=list(units.reindex(none)),
                message="Enheden er ikke med i nogen bølge",
                suggestion="Tilføj enheden til en bølge",
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else _frame()


def _consultant_load(advisor: _Advisor, plan: Plan, sched: pd.DataFrame) -> pd.DataFrame:
    m = advisor.model
    load = pd.Series(m.load())
    capacity = plan.settings.consultant_capacity_hours
    over = load[load > capacity + 1e-9].sort_index()
    if over.empty:
        return _frame()
    weeks = pd.Series([label(int(w)) for w in over.index], dtype="string")
    hours = pd.Series(over.to_numpy(dtype=float)).map(lambda h: f"{h:g}".replace(".", ","))
    texts, moves = [], []
    for week, total in zip(over.index.tolist(), over.tolist(), strict=True):
        # Any one meeting of the week may go; the one that fits nearest elsewhere is suggested.
        culprits = np.flatnonzero(m.consultant & (m.weeks == week) & (m.hours > 0)).tolist()
        found = advisor.moves(culprits, need={int(week): float(total) - capacity})
        texts.append(
            advisor.text(
                found,
                -1,
                named=True,
                otherwise="Spred møderne over flere uger, flyt en enhed til en anden bølge, eller brug Foreslå løsning",
            )
        )
        moves.append(tuple((str(m.keys[mv.position]), label(mv.week)) for mv in found))
    frame = _frame(
        severity=WARNING,
        code="consultant_overload",
        week=weeks,
        message="Økonomikonsulenterne har "
        + hours
        + " timers møder og workshops i "
        + say_week(weeks)
        + f"; kapaciteten er {capacity:g} timer".replace(".", ","),
        suggestion=texts,
    )
    frame[_MOVES] = pd.Series(moves, dtype=object)
    return frame


def _findings(plan: Plan, sched: pd.DataFrame, as_of: dt.date | None = None, *, progress: bool = True) -> pd.DataFrame:
    """Return the findings sorted errors first, with the suggestions' moves in column `_MOVES`."""

    if len(sched):
        years = plan_years(sched["start_date"].min().date(), sched["end_date"].max().date())
    else:
        years = [pd.Timestamp.today().year]
    poor = poor_weeks(plan.school_holidays, years)
    advisor = _Advisor(build_model(plan, sched, as_of=as_of))
    parts = [
        _wave_membership(plan),
        _links(advisor, sched, "dependency"),
        _date_windows(advisor, plan, sched),
        budget_findings(plan.milestones, plan.council_meetings),
        _poor_weeks(advisor, sched, poor),
        _outside_window(advisor, sched),
        _links(advisor, sched, "invitation"),
        _consultant_load(advisor, plan, sched),
        # Without the day's progress the plan's own findings stay: stale status rows, waves past their month.
        progress_findings(plan, sched, as_of if progress else None),
    ]
    found = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else _frame()
    for column in FINDING_COLUMNS:
        found[column] = found[column].astype("string").fillna("")
    # Findings from outside this module (budget rules, progress) suggest no moves.
    moves = found[_MOVES] if _MOVES in found else [None] * len(found)
    found[_MOVES] = [m if isinstance(m, tuple) else () for m in moves]
    order = found["severity"].map({ERROR: 0, WARNING: 1})
    return found.assign(_o=order).sort_values(["_o", "week"], kind="stable").drop(columns="_o").reset_index(drop=True)


def check(plan: Plan, sched: pd.DataFrame, *, as_of: dt.date | None = None, progress: bool = True) -> pd.DataFrame:
    """Return the findings on `plan` and its schedule, columns `schema.FINDING_COLUMNS`, errors first.

    With `as_of`, suggestions move only activities not yet started, never into a week already past,
    and (unless `progress` is False) the rollout's progress is checked as of that day too (overdue,
    follow-up begun before its workshop is done).
    """
    return _findings(plan, sched, as_of, progress=progress).drop(columns=_MOVES)


def advice(plan: Plan, sched: pd.DataFrame, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Return the moves the findings suggest: code, finding_key, activity_key, week (`2026-W19`), one per move."""
    found = _findings(plan, sched, as_of)
    rows = [
        (code, key, moved, week)
        for code, key, moves in zip(found["code"], found["activity_key"], found[_MOVES], strict=True)
        for moved, week in moves
    ]
    return pd.DataFrame(rows, columns=["code", "finding_key", "activity_key", "week"], dtype="string")


def has_errors(findings: pd.DataFrame) -> bool:
    """Return True when any finding has severity error."""
    return bool((findings["severity"] == ERROR).any())
