"""The plan's constraint model: the one place that knows which weeks each activity may use.

Per activity of a schedule it knows the allowed weeks (the template's window; else a setting's number
of weeks either side of the template week; a task's date window), the links between activities
(dependencies with their lags, paired per unit, per wave or across, and invitations at least as far
ahead of their meeting as the template has them), the finance consultants' weekly capacity, and the
weeks poor for meetings. The checks' advice and the re-planner both read it, so a suggestion and a
proposal can never disagree about what is valid.

Weeks are counted as whole numbers (weeks since Monday 5 January 1970) so that moving is arithmetic;
`label` and `say` turn them back into ISO weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calendar import plan_years, poor_weeks
from .isoweeks import iso_label, parse_week, week_of
from .model import Plan
from .scheduler import wave_calendar

__all__ = [
    "CONSULTANT",
    "DEPENDENCY",
    "INVITATION",
    "MEETING_KINDS",
    "PINNED",
    "Conflict",
    "ConstraintModel",
    "Move",
    "apply_moves",
    "build_model",
    "label",
    "say",
    "week_number",
    "week_numbers",
]

MEETING_KINDS = ("meeting", "workshop")
CONSULTANT = "økonomikonsulent"
PINNED = "ja"
DEPENDENCY, INVITATION = "dependency", "invitation"
_EPOCH = dt.date(1970, 1, 5)  # a Monday
_EPOCH_TS = pd.Timestamp(_EPOCH)
_INVITES = "indkald-"  # an invitation `indkald-X` invites to the template's activity X


def week_number(text: str) -> int:
    """Return the week number of an ISO week label such as `2026-W19`."""
    days: int = (parse_week(text).monday() - _EPOCH).days
    return days // 7


def week_numbers(dates: pd.Series) -> np.ndarray:
    """Return the week number of every date in `dates` (any day of the week)."""
    days = (pd.to_datetime(dates) - _EPOCH_TS).dt.days.to_numpy(dtype="int64")
    return days // 7


def monday(week: int) -> dt.date:
    """Return the Monday of week number `week`."""
    return _EPOCH + dt.timedelta(weeks=int(week))


def label(week: int) -> str:
    """Return the ISO label of week number `week`, `2026-W19`."""
    return iso_label(week_of(monday(week)))


def say(week: int, *, sunday: bool = False) -> str:
    """Return `uge 19 (04.05.2026)`: the Monday, or with `sunday` the Sunday the week ends on."""
    day = monday(week) + dt.timedelta(days=6 if sunday else 0)
    return f"uge {week_of(day).week} ({day:%d.%m.%Y})"


@dataclass(frozen=True)
class Move:
    """Activity number `position` of a model to week number `week`."""

    position: int
    week: int


@dataclass(frozen=True)
class Conflict:
    """Why a week does not suit an activity: fixed, range, poor, capacity, or a link to `other`."""

    kind: str
    other: int = -1
    link: int = -1


@dataclass(frozen=True, eq=False)
class ConstraintModel:
    """Every activity of a schedule with its allowed weeks, and the links, capacity and poor weeks."""

    keys: np.ndarray
    titles: np.ndarray
    units: np.ndarray
    unit_ids: np.ndarray
    activity_ids: np.ndarray
    kinds: np.ndarray
    waves: np.ndarray  # -1 for no wave
    weeks: np.ndarray  # the current start weeks
    lengths: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    range_texts: np.ndarray
    template_weeks: np.ndarray  # -1 for tasks
    meeting: np.ndarray
    consultant: np.ndarray
    hours: np.ndarray
    fixed: np.ndarray
    task: np.ndarray
    link_before: np.ndarray
    link_after: np.ndarray
    link_gap: np.ndarray  # weeks[after] - weeks[before] >= gap
    link_kind: np.ndarray
    link_lag: np.ndarray
    poor: dict[int, str]
    capacity: float
    index: dict[str, int] = field(repr=False)
    touching: dict[int, list[int]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.keys)

    def load(self, weeks: np.ndarray | None = None) -> dict[int, float]:
        """Return the consultants' hours of meetings and workshops per week number."""
        weeks = self.weeks if weeks is None else weeks
        mask = self.consultant & (self.hours > 0)
        sums = pd.Series(self.hours[mask]).groupby(weeks[mask]).sum()
        return {int(w): float(h) for w, h in zip(sums.index.tolist(), sums.tolist(), strict=True)}

    def conflicts(self, i: int, week: int, weeks: np.ndarray, load: Mapping[int, float]) -> list[Conflict]:
        """Return what is wrong with activity `i` in `week`, the others in `weeks` (load: their hours)."""
        out = []
        if self.fixed[i] and week != self.weeks[i]:
            out.append(Conflict("fixed"))
        elif not self.lo[i] <= week <= self.hi[i]:
            out.append(Conflict("range"))
        if self.meeting[i] and week in self.poor:
            out.append(Conflict("poor"))
        for li in self.touching.get(i, ()):
            before, after = int(self.link_before[li]), int(self.link_after[li])
            b = week if before == i else int(weeks[before])
            a = week if after == i else int(weeks[after])
            if a - b < self.link_gap[li]:
                out.append(Conflict("link", after if before == i else before, li))
        if self.consultant[i] and self.hours[i] > 0:
            others = load.get(week, 0.0) - (self.hours[i] if weeks[i] == week else 0.0)
            if others + self.hours[i] > self.capacity + 1e-9:
                out.append(Conflict("capacity"))
        return out

    def candidates(self, i: int) -> list[int]:
        """Return the allowed weeks of activity `i` other than its own, nearest first, earlier on a tie."""
        if self.fixed[i]:
            return []
        here = int(self.weeks[i])
        weeks = range(int(self.lo[i]), int(self.hi[i]) + 1)
        # Earlier first on a tie: the invitation goes out sooner and the follow-up stays in its month.
        return sorted((w for w in weeks if w != here), key=lambda w: (abs(w - here), w))

    def name(self, i: int) -> str:
        """Return the activity's title, with its unit when it has one: `Workshop … for Ejendomme`."""
        unit = str(self.units[i])
        return f"{self.titles[i]} for {unit}" if unit else str(self.titles[i])


def _pairs(frame: pd.DataFrame, pred: str, succ: str) -> pd.DataFrame:
    """Pair the rows of two activities as the dependency check always has: per unit, per wave, or all."""
    p = frame[frame["activity_id"] == pred]
    s = frame[frame["activity_id"] == succ]
    if p.empty or s.empty:
        return pd.DataFrame({"pos_p": [], "pos_s": []}, dtype="int64")
    if (p["unit_id"] != "").all() and (s["unit_id"] != "").all():
        pairs = p.merge(s, on="unit_id", suffixes=("_p", "_s"))
    elif (p["wave"] >= 0).all() and (s["wave"] >= 0).all():
        pairs = p.merge(s, on="wave", suffixes=("_p", "_s"))
    else:
        pairs = p.merge(s, how="cross", suffixes=("_p", "_s"))
    return pairs[["pos_p", "pos_s"]]


def _invitation_targets(template: pd.DataFrame) -> dict[str, tuple[str, int]]:
    """Return, per invitation of the template, the meeting it invites to and the template's lead in weeks."""
    meetings = template[template["kind"].isin(MEETING_KINDS)].sort_values("offset_weeks", kind="stable")
    offsets = dict(zip(meetings["activity_id"], meetings["offset_weeks"].astype(int), strict=True))
    out = {}
    for row in template[template["kind"] == "invitation"].to_dict("records"):
        own, start = str(row["activity_id"]), int(row["offset_weeks"])
        target = own.removeprefix(_INVITES) if own.startswith(_INVITES) else ""
        if target not in offsets:  # else: the first meeting or workshop after the invitation
            later = [a for a, o in offsets.items() if o >= start + int(row["length_weeks"])]
            target = later[0] if later else ""
        if target:
            out[own] = (target, offsets[target] - start)
    return out


def build_model(
    plan: Plan, sched: pd.DataFrame, *, fixed: Collection[str] = (), as_of: dt.date | None = None
) -> ConstraintModel:
    """Return the constraint model of `plan` and its schedule; `fixed` activity keys may not move.

    With `as_of`, an activity that started before that day's week stays where it is, and the others
    may move to that week or later, never into the past.
    """
    n = len(sched)
    slack = int(plan.settings.move_weeks)
    keys = sched["activity_key"].astype(str).to_numpy(dtype=object)
    activity_ids = sched["activity_id"].astype(str).to_numpy(dtype=object)
    weeks = week_numbers(sched["start_date"]) if n else np.zeros(0, dtype="int64")
    lengths = (week_numbers(sched["end_date"]) - weeks + 1) if n else np.zeros(0, dtype="int64")
    kinds = sched["kind"].astype(str).to_numpy(dtype=object)
    waves = sched["wave"].astype("Int64").fillna(-1).to_numpy(dtype="int64")
    task = keys == activity_ids
    unit_ids = sched["unit_id"].astype(str).to_numpy(dtype=object)

    # Template rows: the window, else `slack` weeks either side of the template week (and the week an
    # editor chose, which the checks do not flag and re-planning may keep).
    calendar = wave_calendar(plan)
    anchors = dict(zip(calendar["wave"].astype(int), calendar["anchor_monday"], strict=True))
    month_last_weeks = dict(
        zip(calendar["wave"].astype(int), week_numbers(calendar["last_monday"]).tolist(), strict=True)
    )
    offsets = dict(zip(plan.template["activity_id"], plan.template["offset_weeks"].astype(int), strict=True))
    template_weeks = np.full(n, -1, dtype="int64")
    lo, hi = weeks - slack, weeks + slack
    texts = np.full(n, "", dtype=object)
    tpl = np.flatnonzero(~task)
    if len(tpl):
        anchor = pd.Series(waves[tpl]).map(anchors)
        offset = pd.Series(activity_ids[tpl]).map(offsets).fillna(0).to_numpy(dtype="int64")
        template_weeks[tpl] = week_numbers(anchor) + offset
        has_window = (sched["window_start_week"].astype(str).to_numpy() != "")[tpl]
        # Thousands of units share a handful of windows and weeks: each text is made once.
        wlo = _numbers(sched["window_start_week"].astype(str).to_numpy()[tpl])
        whi = _numbers(sched["window_end_week"].astype(str).to_numpy()[tpl])
        tw = template_weeks[tpl]
        lo[tpl] = np.where(has_window, wlo, np.minimum(tw - slack, weeks[tpl]))
        hi[tpl] = np.where(has_window, whi, np.maximum(tw + slack, weeks[tpl]))
        # The follow-up is done in the wave's follow-up month (the minutes): what the template starts
        # by that month still starts in it, so no advice or proposal pushes a wave past its month.
        month_last = pd.Series(waves[tpl]).map(month_last_weeks).to_numpy(dtype="int64")
        cap = np.maximum(month_last, weeks[tpl])  # an editor's own later week is kept
        hi[tpl] = np.where(tw <= month_last, np.minimum(hi[tpl], cap), hi[tpl])
        combos = pd.DataFrame({"w": has_window, "a": lo[tpl], "b": hi[tpl], "t": tw})
        codes, uniques = pd.factorize(pd.MultiIndex.from_frame(combos))
        made = np.array(
            [
                f"vinduet {_span(a, b)}"
                if w
                else f"{_span(a, b)} (±{slack} uger om skabelonens uge {week_of(monday(t)).week})"
                for w, a, b, t in uniques
            ],
            dtype=object,
        )
        texts[tpl] = made[codes]

    # Tasks: the date window (a task overlapping it is inside), else `slack` weeks either side.
    if task.any():
        windows = plan.tasks.set_index("task_id")[["not_before", "not_after"]]
        for i in np.flatnonzero(task):
            nb, na = windows.loc[keys[i]] if keys[i] in windows.index else (pd.NaT, pd.NaT)
            if pd.notna(nb):
                lo[i] = int(week_numbers(pd.Series([nb]))[0]) - int(lengths[i]) + 1
            if pd.notna(na):
                hi[i] = int(week_numbers(pd.Series([na]))[0])
            if pd.notna(nb) or pd.notna(na):
                first = f"{nb:%d.%m.%Y}" if pd.notna(nb) else "…"
                last = f"{na:%d.%m.%Y}" if pd.notna(na) else "…"
                texts[i] = f"perioden {first}–{last}"
            else:
                texts[i] = f"{_span(lo[i], hi[i])} (±{slack} uger om planens uge)"

    locked = plan.overrides[plan.overrides["pinned"] == PINNED]
    pinned_pairs = set(zip(locked["unit_id"], locked["activity_id"], strict=True))
    pinned_tasks = set(plan.tasks.loc[plan.tasks["pinned"] == PINNED, "task_id"])
    is_fixed = (kinds == "deadline") | np.isin(keys, list(set(fixed) | pinned_tasks))
    if pinned_pairs:
        is_fixed |= np.array([(u, a) in pinned_pairs for u, a in zip(unit_ids, activity_ids, strict=True)], dtype=bool)
    said = {int(w): f"låst i {say(int(w))}" for w in np.unique(weeks[is_fixed])}
    texts[is_fixed] = [said[int(w)] for w in weeks[is_fixed]]
    if as_of is not None:
        now = int(week_numbers(pd.Series([pd.Timestamp(as_of)]))[0])
        started = weeks < now
        begun = {int(w): f"startet i {say(int(w))}" for w in np.unique(weeks[started & ~is_fixed])}
        texts[started & ~is_fixed] = [begun[int(w)] for w in weeks[started & ~is_fixed]]
        is_fixed |= started
        lo = np.maximum(lo, now)
        # A window already past (an activity postponed beyond it) leaves no week: it stays where it is.
        is_fixed |= lo > hi
    lo = np.where(is_fixed, weeks, lo)
    hi = np.where(is_fixed, weeks, hi)

    meeting = np.isin(kinds, MEETING_KINDS)
    who = (sched["participants"].astype(str) + " " + sched["lead"].astype(str)).str.lower()
    consultant = meeting & who.str.contains(CONSULTANT, regex=False).to_numpy(dtype=bool)
    hours = sched["hours"].astype("Float64").fillna(0.0).to_numpy(dtype="float64")

    frame = pd.DataFrame({"pos": np.arange(n), "activity_id": activity_ids, "unit_id": unit_ids, "wave": waves})
    parts: list[pd.DataFrame] = []
    for dep in plan.dependencies.to_dict("records"):
        pairs = _pairs(frame, str(dep["predecessor"]), str(dep["successor"]))
        lag = int(dep["lag_weeks"])
        gaps = lengths[pairs["pos_p"].to_numpy(dtype="int64")] + lag
        parts.append(pairs.assign(gap=gaps, kind=DEPENDENCY, lag=lag))
    index = {str(k): i for i, k in enumerate(keys)}
    for invitation, (target, lead) in _invitation_targets(plan.template).items():
        rows = np.flatnonzero(activity_ids == invitation)
        rows = rows[~task[rows]]
        targets = [index.get(str(keys[i]).rsplit("/", 1)[0] + "/" + target, -1) for i in rows]
        pairs = pd.DataFrame({"pos_p": rows, "pos_s": targets})
        parts.append(pairs[pairs["pos_s"] >= 0].assign(gap=lead, kind=INVITATION, lag=0))
    links = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["pos_p", "pos_s", "gap", "kind", "lag"])
    )
    before = links["pos_p"].to_numpy(dtype="int64")
    after = links["pos_s"].to_numpy(dtype="int64")
    touching: dict[int, list[int]] = {}
    for li, (b, a) in enumerate(zip(before.tolist(), after.tolist(), strict=True)):
        touching.setdefault(b, []).append(li)
        touching.setdefault(a, []).append(li)

    if n:
        span = (monday(int((weeks - slack).min())), monday(int((weeks + lengths + slack).max())))
        poor_frame = poor_weeks(plan.school_holidays, plan_years(*span))
        poor = {week_number(str(w)): str(r) for w, r in zip(poor_frame["week"], poor_frame["reason"], strict=True)}
    else:
        poor = {}
    return ConstraintModel(
        keys=keys,
        titles=sched["activity"].astype(str).to_numpy(dtype=object),
        units=sched["unit"].astype(str).to_numpy(dtype=object),
        unit_ids=unit_ids,
        activity_ids=activity_ids,
        kinds=kinds,
        waves=waves,
        weeks=weeks,
        lengths=lengths,
        lo=lo,
        hi=hi,
        range_texts=texts,
        template_weeks=template_weeks,
        meeting=meeting,
        consultant=consultant,
        hours=hours,
        fixed=is_fixed,
        task=task,
        link_before=before,
        link_after=after,
        link_gap=links["gap"].to_numpy(dtype="int64"),
        link_kind=links["kind"].astype(str).to_numpy(dtype=object),
        link_lag=links["lag"].to_numpy(dtype="int64"),
        poor=poor,
        capacity=float(plan.settings.consultant_capacity_hours),
        index=index,
        touching=touching,
    )


def _numbers(labels: np.ndarray) -> np.ndarray:
    """Return the week number of every ISO label (0 for an empty one), parsing each distinct label once."""
    codes, uniques = pd.factorize(labels)
    numbers = np.array([week_number(str(u)) if u else 0 for u in uniques] or [0], dtype="int64")
    return numbers[codes]


def _span(first: int, last: int) -> str:
    a, b = week_of(monday(first)), week_of(monday(last))
    if a == b:
        return f"uge {a.week}"
    return f"uge {a.week}–{b.week}" if a.year == b.year else f"uge {a.week} {a.year}–uge {b.week} {b.year}"


def apply_moves(plan: Plan, moves: Mapping[str, str], *, source: str = "flyttet i planlæggeren") -> Plan:
    """Return `plan` with activities moved to new start weeks: `{activity_key: "2026-W19"}`.

    A template activity moves by an override for its unit (dropped when it returns to the template's
    week, so the template stays the plan's source), a task by shifting its start and end weeks.
    """
    if not moves:
        return plan
    tasks = plan.tasks.copy()
    task_ids = set(tasks["task_id"])
    by_task = {k: week_number(w) for k, w in moves.items() if k in task_ids}
    if by_task:
        starts, ends = tasks["start_week"].astype(str).tolist(), tasks["end_week"].astype(str).tolist()
        for row, task in enumerate(tasks["task_id"].astype(str).tolist()):
            if task in by_task:
                shift = by_task[task] - week_number(starts[row])
                starts[row], ends[row] = label(by_task[task]), label(week_number(ends[row]) + shift)
        tasks["start_week"], tasks["end_week"] = starts, ends
    keyed = [(k, w) for k, w in moves.items() if k not in task_ids]
    if not keyed:
        return plan.with_tables(tasks=tasks)
    parts = [k.split("/", 2) for k, _ in keyed]
    moved = pd.DataFrame(
        {
            "wave": [int(p[0].removeprefix("b")) for p in parts],
            "unit_id": [p[1] for p in parts],
            "activity_id": [p[2] for p in parts],
            "week": [week_number(w) for _, w in keyed],
        }
    )
    calendar = wave_calendar(plan)
    anchors = pd.Series(week_numbers(calendar["anchor_monday"]), index=calendar["wave"].astype(int).to_numpy())
    offsets = plan.template.set_index("activity_id")["offset_weeks"].astype(int)
    home = anchors.reindex(moved["wave"]).to_numpy() + offsets.reindex(moved["activity_id"]).to_numpy()
    moved["start_week"] = [label(int(w)) for w in moved["week"]]
    old = plan.overrides
    pairs = pd.MultiIndex.from_frame(moved[["unit_id", "activity_id"]])
    kept = old[~pd.MultiIndex.from_frame(old[["unit_id", "activity_id"]]).isin(pairs)]
    pinned = old.set_index(["unit_id", "activity_id"])["pinned"]
    new = moved[moved["week"].to_numpy() != home][["unit_id", "activity_id", "start_week"]].copy()
    new["source"] = source
    new["pinned"] = pinned.reindex(pd.MultiIndex.from_frame(new[["unit_id", "activity_id"]])).fillna("").to_numpy()
    overrides = pd.concat([kept, new], ignore_index=True)
    return plan.with_tables(overrides=overrides, tasks=tasks)
