"""What must move when an activity is postponed: the activities that depend on it, by the plan's own rules."""

from __future__ import annotations

import pandas as pd

from .constraints import DEPENDENCY, build_model, label, week_number
from .model import Plan

__all__ = ["FOLLOWER_COLUMNS", "followers"]

FOLLOWER_COLUMNS = ("activity_key", "activity", "unit", "start_week", "end_week", "new_start_week", "new_end_week")
_CLOSED = ("gennemført", "aflyst")  # what has happened (or never will) is not moved


def followers(plan: Plan, sched: pd.DataFrame, key: str, week: str) -> pd.DataFrame:
    """Return the activities that must move when `key` starts in `week`, with their new weeks.

    Follows the plan's dependencies, also through activities that move themselves. The unit's own
    later activities keep their distance to what they follow (the week plan's shape); a shared
    activity or another unit's moves only as far as the rule needs. Done and cancelled activities
    stay where they are, and so do locked activities and deadlines. Columns `FOLLOWER_COLUMNS`,
    ordered by new start; empty when nothing moves.
    """
    model = build_model(plan, sched)
    first = model.index[key]
    own_unit = str(model.unit_ids[first])
    closed = set(plan.status.loc[plan.status["status"].isin(_CLOSED), "activity_key"].astype(str))
    new = {first: week_number(week)}
    queue = [first]
    steps = 0
    while queue and steps < 100_000:  # the dependencies are validated acyclic; the bound only guards
        steps += 1
        before = queue.pop(0)
        shift = new[before] - int(model.weeks[before])
        for link in model.touching.get(before, []):
            if model.link_kind[link] != DEPENDENCY or int(model.link_before[link]) != before:
                continue
            after = int(model.link_after[link])
            # A locked activity (or a deadline) is not moved for anyone: the broken rule shows as an error.
            if after == first or str(model.keys[after]) in closed or model.fixed[after]:
                continue
            own = own_unit != "" and not model.task[after] and str(model.unit_ids[after]) == own_unit
            now = new.get(after, int(model.weeks[after]))
            wanted = max(new[before] + int(model.link_gap[link]), int(model.weeks[after]) + shift if own else now)
            if wanted > now:
                new[after] = wanted
                queue.append(after)
    moved = sorted((w, i) for i, w in new.items() if i != first)
    rows = [
        {
            "activity_key": str(model.keys[i]),
            "activity": str(model.titles[i]),
            "unit": str(model.units[i]),
            "start_week": label(int(model.weeks[i])),
            "end_week": label(int(model.weeks[i] + model.lengths[i] - 1)),
            "new_start_week": label(w),
            "new_end_week": label(int(w + model.lengths[i] - 1)),
        }
        for w, i in moved
    ]
    return pd.DataFrame(rows, columns=list(FOLLOWER_COLUMNS), dtype="string")
