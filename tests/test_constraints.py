"""The constraint model of the real sample plan: allowed weeks, links, capacity, poor weeks, moves applied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import Plan, Settings, load_plan, schedule
from planner.advice import Adviser
from planner.checks import advice
from planner.constraints import (
    DEPENDENCY,
    INVITATION,
    ConstraintModel,
    apply_moves,
    build_model,
    label,
    say,
    week_number,
)
from planner.isoweeks import iso_label, week_of


@pytest.fixture(scope="module")
def model(sample_plan: Plan) -> ConstraintModel:
    return build_model(sample_plan, schedule(sample_plan))


def _span(m: ConstraintModel, key: str) -> tuple[str, str]:
    i = m.index[key]
    return label(int(m.lo[i])), label(int(m.hi[i]))


@pytest.mark.parametrize("week", ["2026-W01", "2026-W19", "2026-W53", "2027-W01", "2028-W52"])
def test_week_numbers_round_trip_through_iso_weeks(week: str) -> None:
    assert label(week_number(week)) == week
    assert week_number("2027-W01") - week_number("2026-W53") == 1  # 2026 has 53 weeks


def test_say_gives_the_monday_or_the_sunday() -> None:
    assert say(week_number("2026-W21")) == "uge 21 (18.05.2026)"
    assert say(week_number("2026-W21"), sunday=True) == "uge 21 (24.05.2026)"


def test_a_window_from_the_template_is_the_allowed_range(model: ConstraintModel) -> None:
    assert _span(model, "b1/born-familie/orientering") == ("2026-W09", "2026-W10")
    assert model.range_texts[model.index["b1/born-familie/orientering"]] == "vinduet uge 9–10"


def test_without_a_window_the_setting_gives_weeks_either_side(sample_plan: Plan, model: ConstraintModel) -> None:
    assert _span(model, "b3/ejendomme/workshop") == ("2026-W40", "2026-W44")
    wider = sample_plan.with_settings(Settings(move_weeks=3))
    # Uge 45 would start in November: the wave's follow-up month (October) caps it at uge 44.
    assert _span(build_model(wider, schedule(wider)), "b3/ejendomme/workshop") == ("2026-W39", "2026-W44")


def test_an_activity_the_template_starts_by_its_follow_up_month_stays_in_that_month(sample_plan: Plan) -> None:
    # Wave 2 (May): the follow-up starts in uge 21; uge 23 would start on 1 June.
    model = build_model(sample_plan, schedule(sample_plan))
    assert _span(model, "b2/kultur-fritid/opfolgning") == ("2026-W19", "2026-W22")


def test_a_tasks_date_window_allows_the_weeks_that_overlap_it(model: ConstraintModel) -> None:
    # The April status: uge 14 (30.03–05.04) overlaps April, uge 13 does not; uge 18 holds 30 April.
    assert _span(model, "status-chefforum-1") == ("2026-W14", "2026-W18")
    assert model.range_texts[model.index["status-chefforum-1"]] == "perioden 01.04.2026–30.04.2026"


def test_pinned_rows_deadlines_and_fixed_keys_cannot_move(edit_csv: EditCsv, plan_dir: Path) -> None:
    extra = pd.DataFrame(
        [{"unit_id": "ejendomme", "activity_id": "workshop", "start_week": "2026-W42", "source": "x", "pinned": "ja"}]
    )
    edit_csv("overrides", lambda f: pd.concat([f, extra]).fillna(""))
    edit_csv(
        "tasks", lambda f: f.assign(pinned=(f["task_id"] == "praesentation-chefforum").map({True: "ja", False: ""}))
    )
    plan = load_plan(plan_dir)
    m = build_model(plan, schedule(plan), fixed={"b1/okonomi-stab/workshop"})
    for key in ("b3/ejendomme/workshop", "praesentation-chefforum", "b1/okonomi-stab/workshop"):
        i = m.index[key]
        assert m.fixed[i] and m.lo[i] == m.hi[i] == m.weeks[i]
        assert m.candidates(i) == []
    assert not m.fixed[m.index["b3/miljo-teknik/workshop"]]


def _links(m: ConstraintModel, kind: str) -> set[tuple[str, str, int]]:
    chosen = m.link_kind == kind
    return {
        (str(m.keys[b]), str(m.keys[a]), int(g))
        for b, a, g in zip(m.link_before[chosen], m.link_after[chosen], m.link_gap[chosen], strict=True)
    }


def test_dependencies_pair_per_unit_per_wave_or_across(sample_plan: Plan, model: ConstraintModel) -> None:
    deps = _links(model, DEPENDENCY)
    # Per unit: the orientation (1 week) before the same unit's workshop.
    assert ("b1/born-familie/orientering", "b1/born-familie/workshop", 1) in deps
    assert not any(
        b == "b1/born-familie/orientering" and a.endswith("/workshop") and "born" not in a for b, a, _ in deps
    )
    # Per wave: every wave-1 workshop before the April status, no other wave's.
    status = {b for b, a, _ in deps if a == "status-chefforum-1"}
    assert status == {f"b1/{u}/workshop" for u in ("born-familie", "okonomi-stab", "dagtilbud-skoler")}
    # Across: the presentation before every unit's invitation, in every wave.
    presentation = {a for b, a, _ in deps if b == "praesentation-chefforum"}
    assert len(presentation) == len(sample_plan.assignments)
    # A 5-week kontoplan must end before its own unit's invitation only.
    assert {a for b, a, g in deps if b == "kontoplan-ass-vagtplaner"} == {"b3/ass-vagtplaner/indkald-orientering"}
    assert {g for b, a, g in deps if b == "kontoplan-ass-vagtplaner"} == {5}


def test_invitations_keep_the_templates_notice(model: ConstraintModel) -> None:
    invitations = _links(model, INVITATION)
    assert ("b2/kultur-fritid/indkald-workshop", "b2/kultur-fritid/workshop", 6) in invitations
    assert ("b2/kultur-fritid/indkald-orientering", "b2/kultur-fritid/orientering", 4) in invitations


def test_capacity_counts_consultant_meetings_at_their_start_week(model: ConstraintModel) -> None:
    load = model.load()
    assert load[week_number("2026-W11")] == 6.0  # three 2-hour workshops
    assert load[week_number("2026-W09")] == 1.0  # two ½-hour orientations (the third is in uge 10)
    assert not model.consultant[model.index["status-chefforum-1"]]  # Chefforum's status is not theirs
    assert model.capacity == 8.0


def test_poor_weeks_come_from_the_calendar(model: ConstraintModel) -> None:
    assert "Kristi himmelfartsdag" in model.poor[week_number("2026-W20")]
    assert "efterårsferie" in model.poor[week_number("2026-W42")]
    assert week_number("2026-W19") not in model.poor


def test_the_conflicts_of_a_week_name_what_is_wrong(model: ConstraintModel) -> None:
    i = model.index["b3/ejendomme/workshop"]
    load = model.load()
    kinds = {c.kind for c in model.conflicts(i, week_number("2026-W43"), model.weeks, load)}
    assert kinds == {"link"}  # the follow-up starts in uge 43
    assert {c.kind for c in model.conflicts(i, week_number("2026-W45"), model.weeks, load)} == {"range", "link"}
    # Uge 41 alone is too little notice for the invitation in uge 36 (the template has six weeks).
    assert {c.kind for c in model.conflicts(i, week_number("2026-W41"), model.weeks, load)} == {"link"}
    assert "poor" in {c.kind for c in model.conflicts(i, week_number("2026-W42"), model.weeks, load)}


def test_the_adviser_names_the_partner_that_must_move_too(model: ConstraintModel) -> None:
    i = model.index["b2/kultur-fritid/workshop"]
    moves = Adviser(model).advise([i])
    assert [(str(model.keys[m.position]), label(m.week)) for m in moves] == [
        ("b2/kultur-fritid/workshop", "2026-W19"),
        ("b2/kultur-fritid/indkald-workshop", "2026-W13"),
    ]


def test_applied_moves_become_overrides_and_task_weeks(sample_plan: Plan) -> None:
    moved = apply_moves(
        sample_plan,
        {
            "b2/kultur-fritid/workshop": "2026-W19",
            "b1/dagtilbud-skoler/orientering": "2026-W09",  # back to the template's week
            "kontoplan-ass-vagtplaner": "2026-W29",
        },
    )
    overrides = moved.overrides.set_index(["unit_id", "activity_id"])
    assert overrides.loc[("kultur-fritid", "workshop"), "start_week"] == "2026-W19"
    assert ("dagtilbud-skoler", "orientering") not in overrides.index  # the override is dropped
    task = moved.tasks.set_index("task_id").loc["kontoplan-ass-vagtplaner"]
    assert (task["start_week"], task["end_week"]) == ("2026-W29", "2026-W33")  # five weeks still
    pd.testing.assert_frame_equal(moved.template, sample_plan.template)
    weeks = dict(zip(schedule(moved)["activity_key"], schedule(moved)["start_week"], strict=True))
    assert weeks["b2/kultur-fritid/workshop"] == "2026-W19"
    assert weeks["b1/dagtilbud-skoler/orientering"] == "2026-W09"


def test_as_of_a_day_what_has_started_stays_and_nothing_moves_into_the_past(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    as_of = dt.date(2026, 4, 15)
    now = week_number(iso_label(week_of(as_of)))
    m = build_model(sample_plan, sched, as_of=as_of)
    starts = dict(zip(sched["activity_key"], sched["start_week"], strict=True))
    started = [k for k, w in starts.items() if week_number(w) < now]
    assert started and all(m.lo[m.index[k]] == m.hi[m.index[k]] == week_number(starts[k]) for k in started)
    assert "startet i uge" in m.range_texts[m.index[started[0]]]
    coming = [k for k, w in starts.items() if week_number(w) >= now]
    assert all(m.lo[m.index[k]] >= now for k in coming)
    # Without a day the same activities could move back into those weeks: the bound is the day's doing.
    assert any(build_model(sample_plan, sched).lo[m.index[k]] < now for k in coming)


def test_the_checks_advice_as_of_a_day_never_names_a_past_week(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    as_of = dt.date(2026, 4, 15)
    now = iso_label(week_of(as_of))
    moves = advice(sample_plan, sched, as_of=as_of)
    before = advice(sample_plan, sched)
    assert (before["week"] < now).any()  # the sample's advice reaches into weeks before 15.04.2026
    assert len(moves) and (moves["week"] >= now).all()
    starts = dict(zip(sched["activity_key"], sched["start_week"], strict=True))
    assert all(starts[k] >= now for k in moves["activity_key"])
