"""Re-planning on the real sample plan: fewest moves, holidays avoided, capacity, pins, explanations, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import EditCsv

from planner import DEFAULT_DATA_DIR, Plan, Settings, check, has_errors, load_plan, schedule
from planner.checks import advice
from planner.constraints import build_model
from planner.isoweeks import iso_label, week_of
from planner.replan import MOVE_COLUMNS, NoProposalError, Proposal, replan
from planner.status_edits import postpone
from planner.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _replan(plan: Plan, **kwargs: object) -> Proposal:
    return replan(plan, workers=1, seed=0, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def proposal(sample_plan: Plan) -> Proposal:
    return _replan(sample_plan)


def _weeks(plan: Plan) -> dict[str, str]:
    sched = schedule(plan)
    return dict(zip(sched["activity_key"], sched["start_week"], strict=True))


def _pin(edit_csv: EditCsv, rows: list[tuple[str, str, str]]) -> None:
    extra = pd.DataFrame(
        [{"unit_id": u, "activity_id": a, "start_week": w, "source": "test", "pinned": "ja"} for u, a, w in rows]
    )
    edit_csv("overrides", lambda f: pd.concat([f, extra]).fillna(""))


def test_the_replanned_sample_plan_has_no_holiday_meetings_and_no_errors(sample_plan: Plan, proposal: Proposal) -> None:
    before = check(sample_plan, schedule(sample_plan))
    assert (before["code"] == "poor_week").any()
    after = check(proposal.plan, schedule(proposal.plan))
    assert not has_errors(after)
    assert not (after["code"] == "poor_week").any(), after
    assert proposal.status == "optimal" and proposal.objective == proposal.bound
    assert list(proposal.moves.columns) == ["activity_key", *MOVE_COLUMNS]


def test_the_proposal_and_the_checks_advice_agree(sample_plan: Plan, proposal: Proposal) -> None:
    # One constraint model: for the workshops in holiday weeks, the solver makes the moves the checks suggest.
    advised = advice(sample_plan, schedule(sample_plan))
    workshops = advised[advised["finding_key"].str.endswith("/workshop") & (advised["code"] == "poor_week")]
    assert len(workshops) > 0
    proposed = dict(zip(proposal.moves["activity_key"], proposal.moves["to_week"], strict=True))
    for key, week in zip(workshops["activity_key"], workshops["week"], strict=True):
        assert proposed.get(key) == week, key


def test_the_kristi_himmelfart_week_is_avoided(proposal: Proposal) -> None:
    sched = schedule(proposal.plan)
    may = sched.query("wave == 2 and kind == 'workshop'")
    assert len(may) == 3 and "2026-W20" not in set(may["start_week"])
    moved = proposal.moves[proposal.moves["from_week"] == "2026-W20"]
    assert set(moved["reason"]) == {"uge 20 (11.05.2026) har Kristi himmelfartsdag"}


def test_the_uge_42_workshop_and_its_follow_up_move_together(edit_csv: EditCsv, plan_dir: Path) -> None:
    # With the October invitations pinned, uge 41 is out (too little notice): the workshop goes to
    # uge 43 and the follow-up, which must come after it, goes along to uge 44.
    units = ("miljo-teknik", "ass-vagtplaner", "ejendomme")
    _pin(edit_csv, [(u, "indkald-workshop", "2026-W36") for u in units])
    result = _replan(load_plan(plan_dir))
    weeks = _weeks(result.plan)
    for unit in units:
        assert weeks[f"b3/{unit}/workshop"] == "2026-W43"
        assert weeks[f"b3/{unit}/opfolgning"] == "2026-W44"
        assert weeks[f"b3/{unit}/indkald-workshop"] == "2026-W36"
    follow = result.moves[result.moves["activity"] == "Økonomiopfølgning i MFR"]
    assert follow["reason"].str.startswith("skal ligge efter Workshop for ledere og administrative").all()
    assert not has_errors(check(result.plan, schedule(result.plan)))


def test_capacity_is_respected(sample_plan: Plan) -> None:
    tight = sample_plan.with_settings(Settings(consultant_capacity_hours=2.5))
    assert (check(tight, schedule(tight))["code"] == "consultant_overload").any()
    result = _replan(tight)
    sched = schedule(result.plan)
    load = build_model(result.plan, sched).load()
    assert max(load.values()) <= 2.5
    assert not (check(result.plan, sched)["code"] == "consultant_overload").any()


def test_infeasible_capacity_is_explained_in_danish(sample_plan: Plan) -> None:
    with pytest.raises(NoProposalError) as caught:
        _replan(sample_plan.with_settings(Settings(consultant_capacity_hours=1)))
    assert caught.value.infeasible
    assert caught.value.reasons == [
        "kapaciteten på 1 time om ugen kan ikke rumme Workshop for ledere og administrative på 2 timer i bølge 1"
    ]


def test_too_many_meetings_for_the_weeks_they_may_use_is_explained_by_counting(sample_plan: Plan) -> None:
    # No week to spare (move_weeks 0): three 2-hour workshops in uge 11 against 4 hours.
    tight = sample_plan.with_settings(Settings(consultant_capacity_hours=4, move_weeks=0))
    with pytest.raises(NoProposalError) as caught:
        _replan(tight)
    assert caught.value.infeasible
    assert (
        "kapaciteten på 4 timer om ugen kan ikke rumme Workshop for ledere og administrative i bølge 1: "
        "3 enheder à 2 timer er 6 timer i uge 11, hvor der højst er 4 timer"
    ) in caught.value.reasons


def test_a_pinned_dependency_conflict_is_explained(edit_csv: EditCsv, plan_dir: Path) -> None:
    # The orientation pinned after the workshop's whole range: no week for the workshop is left.
    _pin(edit_csv, [("born-familie", "orientering", "2026-W13")])
    with pytest.raises(NoProposalError) as caught:
        _replan(load_plan(plan_dir))
    reasons = caught.value.reasons
    assert "Orienteringsmøde for ledere for Børn & Familie ligger fast i uge 13 (23.03.2026)" in reasons
    assert "Orienteringsmøde for ledere skal være færdig før Workshop for ledere og administrative i bølge 1" in reasons


def test_pinned_and_fixed_activities_never_move(edit_csv: EditCsv, plan_dir: Path) -> None:
    _pin(edit_csv, [("kultur-fritid", "workshop", "2026-W20")])
    plan = load_plan(plan_dir)
    result = _replan(plan, fixed={"b3/ejendomme/workshop"})
    weeks = _weeks(result.plan)
    assert weeks["b2/kultur-fritid/workshop"] == "2026-W20"  # pinned in the holiday week: it stays
    assert weeks["b3/ejendomme/workshop"] == "2026-W42"  # fixed by the caller (e.g. already held)
    assert weeks["b2/borger-arbejdsmarked/workshop"] == "2026-W19"
    assert not set(result.moves["activity_key"]) & {"b2/kultur-fritid/workshop", "b3/ejendomme/workshop"}


def test_a_dependency_error_is_cleared(edit_csv: EditCsv, plan_dir: Path) -> None:
    edit_csv(
        "tasks",
        lambda f: f.assign(end_week=f["end_week"].where(f["task_id"] != "kontoplan-ass-vagtplaner", "2026-W36")),
    )
    plan = load_plan(plan_dir)
    assert has_errors(check(plan, schedule(plan)))
    result = _replan(plan)
    assert not has_errors(check(result.plan, schedule(result.plan)))
    assert "kontoplan-ass-vagtplaner" in set(result.moves["activity_key"])


def test_the_same_plan_gives_the_same_proposal(sample_plan: Plan, proposal: Proposal) -> None:
    again = _replan(sample_plan)
    pd.testing.assert_frame_equal(again.moves, proposal.moves)
    assert again.objective == proposal.objective


def test_the_proposal_is_saved_through_the_store_as_a_revision(
    tmp_path: Path, sample_plan: Plan, proposal: Proposal
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'planner.db'}")
    base = store.ensure_seeded(sample_plan)
    number = store.save(proposal.plan, base=base, editor="marie@albertslund.dk", comment="Foreslået løsning")
    _, saved = store.load(number)
    assert _weeks(saved) == _weeks(proposal.plan)
    changes = store.diff(base, number)
    assert len(changes) == len(proposal.moves)
    # The template is untouched: every move is an override of one unit (or a task's weeks).
    pd.testing.assert_frame_equal(saved.template, sample_plan.template)
    store.close()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_the_cli_prints_the_moves_as_csv_and_writes_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "ny"
    result = _run("replan", "--format", "csv", "--out", str(out), "--time-limit", "20")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(MOVE_COLUMNS)
    assert {r["from_week"] for r in rows if r["activity"].startswith("Workshop")} == {"2026-W20", "2026-W42"}
    assert "nedre grænse" in result.stderr
    written = load_plan(out)
    pd.testing.assert_frame_equal(written.template, load_plan().template)  # moves are overrides
    findings = check(written, schedule(written))
    assert not (findings["code"] == "poor_week").any()
    assert _run("check", "--data", str(out)).returncode == 0


def test_the_cli_exits_1_with_the_reason_when_no_plan_exists(plan_dir: Path) -> None:
    toml = plan_dir / "plan.toml"
    toml.write_text(toml.read_text().replace("consultant_capacity_hours = 8", "consultant_capacity_hours = 1"))
    result = _run("replan", "--data", str(plan_dir))
    assert result.returncode == 1
    assert "Ingen plan opfylder alle faste krav:" in result.stderr
    assert "kan ikke rumme Workshop for ledere og administrative på 2 timer i bølge 1" in result.stderr


def test_the_cli_exits_2_on_a_plan_error(tmp_path: Path) -> None:
    broken = tmp_path / "plan"
    shutil.copytree(DEFAULT_DATA_DIR, broken)
    (broken / "waves.csv").write_text("wave,name,follow_up_month,source\n1,Bølge 1,2026-13,x\n", encoding="utf-8")
    result = _run("replan", "--data", str(broken))
    assert result.returncode == 2
    assert "follow_up_month" in result.stderr


def test_a_proposal_as_of_a_day_leaves_the_past_alone(sample_plan: Plan, proposal: Proposal) -> None:
    as_of = dt.date(2026, 4, 15)
    now = iso_label(week_of(as_of))
    assert (proposal.moves["to_week"] < now).any()  # without a day, weeks before 15.04.2026 are used
    moves = _replan(sample_plan, as_of=as_of).moves
    assert len(moves)
    assert (moves["from_week"] >= now).all() and (moves["to_week"] >= now).all()


def test_an_activity_postponed_past_its_window_stays_and_a_proposal_is_still_found(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    late = postpone(sample_plan, sched, "b1/born-familie/orientering", "2026-W17", source="test")
    as_of = dt.date(2026, 4, 15)
    model = build_model(late, schedule(late), as_of=as_of)
    i = model.index["b1/born-familie/orientering"]
    assert model.lo[i] == model.hi[i] == model.weeks[i]  # its window (to uge 10) is past: it stays
    proposal = _replan(late, as_of=as_of)
    assert "b1/born-familie/orientering" not in set(proposal.moves["activity_key"])
