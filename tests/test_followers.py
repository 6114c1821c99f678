"""What moves with a postponed activity, by the sample plan's dependencies."""

from __future__ import annotations

import pandas as pd

from planner import Plan, schedule
from planner.followers import followers
from planner.status_edits import set_status

WORKSHOP = "b1/dagtilbud-skoler/workshop"


def _moves(found: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {k: (s, e) for k, s, e in found[["activity_key", "new_start_week", "new_end_week"]].itertuples(index=False)}


def test_the_units_follow_up_and_the_shared_status_move_behind_a_late_workshop(sample_plan: Plan) -> None:
    found = followers(sample_plan, schedule(sample_plan), WORKSHOP, "2026-W16")
    assert _moves(found) == {
        "b1/dagtilbud-skoler/opfolgning": ("2026-W17", "2026-W18"),  # its two weeks, right after the workshop
        "status-chefforum-1": ("2026-W17", "2026-W17"),  # only as far as the rule needs
    }
    row = found.set_index("activity_key").loc["status-chefforum-1"]
    assert (row["start_week"], row["unit"]) == ("2026-W16", "")


def test_the_units_own_activities_keep_their_distance_through_a_chain(sample_plan: Plan) -> None:
    # The orientation moves two weeks: the workshop after it and the follow-up after that move two weeks too.
    found = followers(sample_plan, schedule(sample_plan), "b1/dagtilbud-skoler/orientering", "2026-W12")
    assert _moves(found) == {
        WORKSHOP: ("2026-W13", "2026-W13"),
        "b1/dagtilbud-skoler/opfolgning": ("2026-W14", "2026-W15"),
    }


def test_other_units_and_room_to_spare_move_nothing(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    assert followers(sample_plan, sched, "compliance-workshops", "2026-W12").empty
    found = followers(sample_plan, sched, "b1/born-familie/workshop", "2026-W12")
    assert list(found["activity_key"]) == ["b1/born-familie/opfolgning"]  # not the other units' follow-ups


def test_a_done_activity_is_not_moved(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    done = set_status(sample_plan, sched, "b1/dagtilbud-skoler/opfolgning", "gennemført", source="s")
    assert list(followers(done, sched, WORKSHOP, "2026-W16")["activity_key"]) == ["status-chefforum-1"]


def test_a_locked_activity_is_not_moved(sample_plan: Plan) -> None:
    tasks = sample_plan.tasks.copy()
    tasks["pinned"] = tasks["pinned"].astype(object)
    tasks.loc[tasks["task_id"] == "status-chefforum-1", "pinned"] = "ja"
    locked = sample_plan.with_tables(tasks=tasks)
    found = followers(locked, schedule(locked), WORKSHOP, "2026-W16")
    assert list(found["activity_key"]) == ["b1/dagtilbud-skoler/opfolgning"]
