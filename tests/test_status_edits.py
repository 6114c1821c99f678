"""Recording what happened: status, notes, postponements and a new baseline, as new validated plans."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from planner import Plan, PlanError, schedule
from planner.checks import check, has_errors
from planner.progress import progress
from planner.status_edits import baseline_table, postpone, preview_postpone, set_baseline, set_status

KEY = "b1/born-familie/workshop"


def test_marking_done_adds_one_status_row_and_keeps_the_others(sample_plan: Plan) -> None:
    plan = set_status(sample_plan, schedule(sample_plan), KEY, "gennemført", source="markeret af Marie")
    assert len(plan.status) == len(sample_plan.status) + 1
    row = plan.status.set_index("activity_key").loc[KEY]
    assert (row["status"], row["note"], row["source"]) == ("gennemført", "", "markeret af Marie")


def test_a_new_status_replaces_the_old_in_place_and_keeps_the_note(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    key = "b1/dagtilbud-skoler/indkald-workshop"
    plan = set_status(sample_plan, sched, key, "gennemført", source="s")
    assert plan.status["activity_key"].tolist() == sample_plan.status["activity_key"].tolist()
    row = plan.status.set_index("activity_key").loc[key]
    assert (row["status"], row["note"]) == ("gennemført", "Mangler at nå de administrative i to institutioner")
    plan = set_status(plan, sched, key, "gennemført", source="s", note="  Alle nået  ")
    assert plan.status.set_index("activity_key").loc[key, "note"] == "Alle nået"


def test_postponing_a_workshop_writes_an_override_and_keeps_the_baseline(sample_plan: Plan) -> None:
    plan = postpone(sample_plan, schedule(sample_plan), KEY, "uge 13 2026", source="udskudt af Marie")
    override = plan.overrides.set_index(["unit_id", "activity_id"]).loc[("born-familie", "workshop")]
    assert (override["start_week"], override["source"]) == ("2026-W13", "udskudt af Marie")
    assert plan.baseline.equals(sample_plan.baseline)
    row = progress(plan, schedule(plan), dt.date(2026, 3, 11)).set_index("activity_key").loc[KEY]
    assert (row["status"], row["start_week"], row["slip_weeks"]) == ("udskudt", "2026-W13", 2)


def test_postponing_again_replaces_the_override(sample_plan: Plan) -> None:
    key = "b1/dagtilbud-skoler/orientering"  # already moved to uge 10 by the sample's override
    plan = postpone(sample_plan, schedule(sample_plan), key, "2026-W12", source="s")
    rows = plan.overrides[(plan.overrides["unit_id"] == "dagtilbud-skoler")]
    assert rows["start_week"].tolist() == ["2026-W12"]


def test_postponing_a_one_off_task_moves_it_with_its_length(sample_plan: Plan) -> None:
    plan = postpone(sample_plan, schedule(sample_plan), "beskrivelse-udfordringer", "2026-W08", source="s")
    task = plan.tasks.set_index("task_id").loc["beskrivelse-udfordringer"]
    assert (task["start_week"], task["end_week"]) == ("2026-W08", "2026-W14")


@pytest.mark.parametrize(
    ("week", "says"),
    [("2026-W11", "ligger ikke efter"), ("2026-W09", "ligger ikke efter"), ("2027-W53", "kun uge 1 til 52")],
)
def test_postponing_to_the_same_an_earlier_or_a_bad_week_is_refused(sample_plan: Plan, week: str, says: str) -> None:
    with pytest.raises(PlanError, match=says):
        postpone(sample_plan, schedule(sample_plan), KEY, week, source="s")


def test_an_unknown_activity_or_status_word_is_refused(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    with pytest.raises(PlanError, match="findes ikke"):
        set_status(sample_plan, sched, "b1/born-familie/nope", "gennemført", source="s")
    with pytest.raises(PlanError, match="ukendt status 'færdig'"):
        set_status(sample_plan, sched, KEY, "færdig", source="s")


def test_a_new_baseline_copies_the_schedule_and_clears_the_slip(sample_plan: Plan) -> None:
    moved = postpone(sample_plan, schedule(sample_plan), KEY, "2026-W13", source="s")
    rebased = set_baseline(moved, schedule(moved), source="godkendt i Chefforum 15.04.2026")
    table = progress(rebased, schedule(rebased), dt.date(2026, 3, 11))
    assert (table["slip_weeks"] == 0).all()
    row = rebased.baseline.set_index("activity_key").loc[KEY]
    assert (row["start_week"], row["source"]) == ("2026-W13", "godkendt i Chefforum 15.04.2026")


def test_baseline_rows_from_example_weeks_say_so(sample_plan: Plan) -> None:
    table = baseline_table(schedule(sample_plan), source="Chefforum").set_index("activity_key")
    assert table.loc["status-chefforum-1", "source"] == "Chefforum; uger: eksempel"
    assert table.loc["b1/born-familie/workshop", "source"] == "Chefforum"


def test_postponing_with_followers_moves_them_in_the_same_plan_and_adds_no_error(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    key = "b1/dagtilbud-skoler/workshop"
    plan = postpone(sample_plan, sched, key, "2026-W16", source="udskudt af Marie", with_followers=True)
    weeks = schedule(plan).set_index("activity_key")
    assert weeks.loc["b1/dagtilbud-skoler/opfolgning", "start_week"] == "2026-W17"
    assert weeks.loc["status-chefforum-1", ["start_week", "end_week"]].tolist() == ["2026-W17", "2026-W17"]
    override = plan.overrides.set_index(["unit_id", "activity_id"]).loc[("dagtilbud-skoler", "opfolgning")]
    assert (
        override["source"] == "udskudt af Marie; flyttet med Workshop for ledere og administrative (Dagtilbud & Skoler)"
    )
    assert not has_errors(check(plan, schedule(plan)))
    assert set(plan.status.loc[plan.status["status"] == "udskudt", "activity_key"]) == {key}  # only it is postponed


def test_the_preview_names_the_new_errors_when_the_followers_stay(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    key = "b1/dagtilbud-skoler/workshop"
    kept = preview_postpone(sample_plan, sched, key, "2026-W16", source="s", with_followers=False)
    assert kept.followers.empty and len(kept.left) == 2
    assert kept.errors["code"].tolist() == ["dependency", "dependency"]
    assert "skal være færdig før Økonomiopfølgning i MFR" in kept.errors["message"].iloc[0]
    moved = preview_postpone(sample_plan, sched, key, "2026-W16", source="s", note="Ny dato aftalt")
    assert len(moved.followers) == 2 and moved.left.empty and moved.errors.empty
    assert moved.plan.status.set_index("activity_key").loc[key, "note"] == "Ny dato aftalt"
    assert sample_plan.overrides["unit_id"].tolist() == ["dagtilbud-skoler"]  # the plan itself is untouched


def test_a_postponement_reports_only_the_problems_it_adds_not_old_status_warnings(sample_plan: Plan) -> None:
    # A status row for an activity no longer in the plan is an old warning, not the postponement's doing.
    orphan = pd.DataFrame(
        [{"activity_key": "b9/findes-ikke/workshop", "status": "planlagt", "note": "", "source": "t"}]
    )
    plan = sample_plan.with_tables(status=pd.concat([sample_plan.status, orphan], ignore_index=True))
    sched = schedule(plan)
    as_of = dt.date(2026, 4, 15)
    effect = preview_postpone(
        plan,
        sched,
        "status-chefforum-3",
        "2026-W48",
        source="test",
        as_of=as_of,
        findings=check(plan, sched, as_of=as_of, progress=False),
    )
    assert effect.added.empty, effect.added.to_string()
