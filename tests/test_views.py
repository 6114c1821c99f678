import datetime as dt

import pandas as pd

from planner import Plan
from planner.views import (
    analyse,
    collisions,
    department_lookup,
    filter_schedule,
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


def test_zoom_presets(sample_schedule: pd.DataFrame) -> None:
    span = (dt.date(2025, 12, 1), dt.date(2026, 11, 2))
    today = dt.date(2026, 11, 29)
    assert zoom_range("plan", today, span) == span
    assert zoom_range("next8", today, span) == (dt.date(2026, 11, 23), dt.date(2027, 1, 18))
    first, last = zoom_range("quarter", today, span)
    assert first <= dt.date(2026, 10, 1) < last == dt.date(2027, 1, 1)


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
    text = " ".join(collisions(analyse(sample_plan)))
    assert "Uge 42: Workshop for ledere og administrative i Bølge 3 (oktober 2026) (3 enheder)" in text
    assert "budgettet vedtaget" in text
