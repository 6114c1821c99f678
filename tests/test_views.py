import datetime as dt

import pandas as pd

from planner import Plan, check, schedule
from planner.status_edits import postpone
from planner.views import (
    analyse,
    collisions,
    department_lookup,
    filter_findings,
    filter_schedule,
    outlook,
    period_of,
    slug,
    wave_summary,
    week_sentences,
    zoom_range,
)


def test_slugs_are_safe_ascii() -> None:
    assert slug("Børn & Familie") == "born-og-familie"
    assert slug("Ældre, Sundhed & Social") == "aeldre-sundhed-og-social"
    assert slug("Miljø & Teknik") == "miljo-og-teknik"
    assert slug("../../etc") == "etc"


def test_a_department_is_found_by_id_name_or_slug(sample_plan: Plan) -> None:
    for text in ("born-familie", "Børn & Familie", "born-og-familie", "BØRN & FAMILIE"):
        assert department_lookup(sample_plan, text) == "born-familie"
    assert department_lookup(sample_plan, "ukendt") is None
    assert department_lookup(sample_plan, None) is None


def test_filters_combine(sample_schedule: pd.DataFrame) -> None:
    rows = filter_schedule(sample_schedule, waves=[3], kinds=["workshop"])
    assert len(rows) == 3
    assert set(rows["start_week"]) == {"2026-W42"}
    rows = filter_schedule(sample_schedule, departments=["aeldre-sundhed-social"])
    assert set(rows["wave"].dropna()) == {2, 3}
    rows = filter_schedule(sample_schedule, between=(dt.date(2026, 3, 9), dt.date(2026, 3, 15)))
    assert {"Workshop for ledere og administrative"} <= set(rows["activity"])
    assert (rows["start_date"] <= pd.Timestamp("2026-03-15")).all()


def test_zoom_presets_give_whole_weeks_from_monday_to_sunday() -> None:
    span = (dt.date(2025, 12, 1), dt.date(2026, 11, 2))
    today = dt.date(2026, 11, 29)
    assert zoom_range("plan", today, span) == (dt.date(2025, 12, 1), dt.date(2026, 11, 1))
    assert zoom_range("next8", today, span) == (dt.date(2026, 11, 23), dt.date(2027, 1, 17))
    first, last = zoom_range("quarter", today, span)
    assert (first, last) == (dt.date(2026, 9, 28), dt.date(2027, 1, 3))
    assert first.weekday() == 0 and last.weekday() == 6


def test_week_sentences_say_what_happens_this_and_next_week(sample_schedule: pd.DataFrame) -> None:
    mine = filter_schedule(sample_schedule, departments=["born-familie"])
    sentences = week_sentences(mine, dt.date(2026, 3, 11))
    assert list(sentences) == ["Denne uge (uge 11)", "Næste uge (uge 12)"]
    assert sentences["Denne uge (uge 11)"] == ["Børn & Familie: Workshop for ledere og administrative (2 timer)."]
    assert sentences["Næste uge (uge 12)"] == ["Børn & Familie: Økonomiopfølgning i MFR, fortsætter til 29.03.2026."]


def test_wave_summary_has_one_row_per_wave(sample_schedule: pd.DataFrame) -> None:
    summary = wave_summary(sample_schedule)
    assert summary["wave"].tolist() == [1, 2, 3]
    assert summary["start_week"].tolist() == ["2026-W05", "2026-W14", "2026-W36"]


def test_collisions_name_the_october_workshop_and_the_budget_deadline(sample_plan: Plan) -> None:
    sentences = collisions(analyse(sample_plan))
    assert (
        "Uge 42: Workshop for ledere og administrative for 3 enheder i Bølge 3 (oktober 2026), samme uge som "
        "Frist: budgettet vedtaget (senest 15. oktober) den 15.10.2026."
    ) in sentences
    assert "Uge 10: Orienteringsmøde for ledere for 1 enhed i Bølge 1 (marts 2026)" in " ".join(sentences)
    assert not any(") (" in s for s in sentences)  # no doubled brackets


def test_the_findings_follow_the_charts_filters(sample_plan: Plan) -> None:
    analysis = analyse(sample_plan)
    findings = analysis.findings
    everything = filter_findings(findings, sample_plan, analysis.schedule)
    assert len(everything) == len(findings)
    shown = filter_schedule(analysis.schedule, departments=["miljo-teknik"])
    mine = filter_findings(findings, sample_plan, shown, departments=["miljo-teknik"])
    assert set(mine["unit"]) == {"Miljø & Teknik"}
    spring = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    in_spring = filter_findings(findings, sample_plan, filter_schedule(analysis.schedule, between=spring))
    assert set(in_spring["week"]) == {"2026-W20"}
    coming = filter_findings(findings, sample_plan, analysis.schedule, hide_before=dt.date(2026, 6, 1))
    assert set(coming["week"]) == {"2026-W42"}


def test_findings_about_a_unit_or_a_week_follow_the_unit_and_period_filters(sample_plan: Plan) -> None:
    assignments = sample_plan.assignments[sample_plan.assignments["unit_id"] != "ejendomme"]
    plan = sample_plan.with_tables(assignments=assignments)
    analysis = analyse(plan)
    lonely = analysis.findings[analysis.findings["code"] == "unit_in_no_wave"]
    assert list(lonely["unit"]) == ["Ejendomme"]
    other = filter_findings(analysis.findings, plan, analysis.schedule, departments=["born-familie"])
    assert "unit_in_no_wave" not in set(other["code"])
    own = filter_findings(analysis.findings, plan, analysis.schedule, departments=["kultur-fritid-ejendomme"])
    assert "unit_in_no_wave" in set(own["code"])


def test_a_period_field_holding_one_date_runs_to_the_end() -> None:
    span = (dt.date(2025, 12, 1), dt.date(2026, 11, 2))
    assert period_of((dt.date(2026, 3, 1), dt.date(2026, 4, 1)), span) == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    assert period_of((dt.date(2026, 3, 1),), span) == (dt.date(2026, 3, 1), dt.date(2026, 11, 2))
    assert period_of((), span) == span


def test_the_outlook_names_the_next_activity_or_says_the_rollout_is_over(sample_schedule: pd.DataFrame) -> None:
    mine = filter_schedule(sample_schedule, departments=["born-familie"])
    assert outlook(mine, dt.date(2026, 3, 11)) is None  # something happens this week
    assert outlook(mine, dt.date(2026, 1, 5)) == (
        "Næste aktivitet: Indkaldelse af ledere til workshop, Indkaldelse til orienteringsmøde "
        "i uge 5 (fra 26.01.2026)."
    )
    assert outlook(mine, dt.date(2026, 6, 1)) == (
        "Udrulningen er afsluttet: den sidste aktivitet, Økonomiopfølgning i MFR, sluttede 29.03.2026."
    )
    assert outlook(mine.iloc[0:0], dt.date(2026, 6, 1)) is None


def test_the_pages_problems_are_the_plans_own_as_the_check_command_gives_them(sample_plan: Plan) -> None:
    # A wave slipped past its follow-up month is the plan's problem on every page, as in `planner check`;
    # what is overdue on the day is status, shown on its own.
    sched = schedule(sample_plan)
    late = postpone(sample_plan, sched, "b1/dagtilbud-skoler/workshop", "2026-W16", source="test")
    found = analyse(late, as_of=dt.date(2026, 4, 15)).findings
    assert "wave_past_follow_up_month" in set(found["code"])
    assert "overdue" not in set(found["code"])
    assert sorted(found["code"]) == sorted(check(late, schedule(late))["code"])
