"""The Status and Status til Chefforum pages through the real app (AppTest), on a real SQLite store."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from editors import accounts_setting, sign_in
from streamlit.testing.v1 import AppTest

from planner import load_plan, schedule
from planner.checks import check, has_errors
from planner.progress import progress
from planner.store import Store, default_database_url

ROOT = Path(__file__).resolve().parent.parent
STATUS = "app_pages/status.py"
CHEFFORUM = "app_pages/chefforum.py"
WORKSHOP = "b1/born-familie/workshop"
WORKSHOP_TITLE = "Workshop for ledere og administrative"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_EDITOR_ACCOUNTS", accounts_setting())


def _app(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _login(at: AppTest) -> AppTest:
    return sign_in(at)


def _newest() -> tuple[int, object]:
    store = Store(default_database_url())
    try:
        return store.load()
    finally:
        store.close()


def _card(at: AppTest, activity: str) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(f"**{activity}**")]


def test_a_viewer_is_asked_to_sign_in_and_sees_no_buttons() -> None:
    at = _app(STATUS)
    assert [b.label for b in at.button] == ["Log ind"]


def test_the_page_lists_last_and_this_weeks_activities_and_older_overdue_ones() -> None:
    at = _login(_app(STATUS))
    assert [s.value for s in at.subheader] == ["Dagtilbud & Skoler", "Fælles", "Børn & Familie", "Økonomi & Stab"]
    cards = " ".join(m.value for m in at.markdown)
    assert "**Orienteringsmøde for ledere** · uge 10 (02.03.2026) · :gray[planlagt] · :red[**forsinket**]" in cards
    invitation = "**Indkaldelse af ledere til workshop** · uge 5–6 (26.01.2026)"
    assert f"{invitation} · :blue[i gang] · :red[**forsinket**]" in cards
    # An overdue activity can be postponed to this week (uge 11) or later, not into the past.
    weeks = at.selectbox(key="status_week_b1/dagtilbud-skoler/indkald-workshop").options
    assert weeks[0] == "uge 11 (09.03.2026)" and len(weeks) == 12
    at.checkbox(key="status_older").uncheck().run()
    assert "Indkaldelse af ledere til workshop" not in " ".join(m.value for m in at.markdown)


def test_gennemfoert_is_one_click_and_one_revision() -> None:
    at = _login(_app(STATUS))
    at.button(key=f"status_done_{WORKSHOP}").click().run()
    assert not at.exception, at.exception
    message = "Gemt som revision 2: Status: Børn & Familie: Workshop for ledere og administrative gennemført"
    assert message in [s.value.replace("\\", "") for s in at.success]  # shown Markdown-escaped
    number, plan = _newest()
    assert number == 2
    row = plan.status.set_index("activity_key").loc[WORKSHOP]  # type: ignore[attr-defined]
    assert row["status"] == "gennemført" and row["source"] == "markeret på siden Status af Marie Aasøe 11.03.2026"
    assert at.button(key=f"status_done_{WORKSHOP}").disabled
    store = Store(default_database_url())
    assert store.history()[0].editor == "Marie Aasøe"
    store.close()


def test_udskudt_writes_an_override_and_keeps_the_baseline() -> None:
    at = _login(_app(STATUS))
    at.selectbox(key=f"status_week_{WORKSHOP}").set_value("2026-W13")
    at.button(key=f"status_postpone_{WORKSHOP}").click().run()
    assert not at.exception, at.exception
    assert _newest()[0] == 1  # its follow-up moves with it: shown before anything is saved
    assert at.checkbox(key=f"status_follow_{WORKSHOP}").value
    at.button(key=f"status_confirm_save_{WORKSHOP}").click().run()
    assert not at.exception, at.exception
    assert any("udskudt til uge 13" in s.value.replace("\\", "") for s in at.success)
    _, plan = _newest()
    overrides = plan.overrides.set_index(["unit_id", "activity_id"])  # type: ignore[attr-defined]
    assert overrides.loc[("born-familie", "workshop"), "start_week"] == "2026-W13"
    base = plan.baseline.set_index("activity_key")  # type: ignore[attr-defined]
    assert base.loc[WORKSHOP, "start_week"] == "2026-W11"
    row = progress(plan, schedule(plan), dt.date(2026, 3, 11)).set_index("activity_key").loc[WORKSHOP]  # type: ignore[arg-type]
    assert (row["status"], row["slip_weeks"]) == ("udskudt", 2)


def test_a_postponement_nothing_depends_on_is_one_click() -> None:
    at = _login(_app(STATUS))
    at.selectbox(key="status_week_compliance-workshops").set_value("2026-W11")
    at.button(key="status_postpone_compliance-workshops").click().run()
    assert not at.exception, at.exception
    assert _newest()[0] == 2
    card = " ".join(_card(at, "Undersøgelse af compliance\\-workshops for enheder der allerede bruger MFR"))
    assert ":orange[udskudt]" in card and "5 uger senere end basisplanen" in card and "uger i forhold" not in card


def test_a_card_says_one_week_earlier_or_later_than_the_baseline_in_words() -> None:
    at = _app(STATUS)
    store = Store(default_database_url())
    number, plan = store.load()
    baseline = plan.baseline.copy()
    for key, week in ((WORKSHOP, "2026-W12"), ("b1/okonomi-stab/workshop", "2026-W10")):
        baseline.loc[baseline["activity_key"] == key, ["start_week", "end_week"]] = [week, week]
    store.save(plan.with_tables(baseline=baseline), base=number, editor="Marie Aasøe", comment="test")
    store.close()
    cards = _card(_login(at), WORKSHOP_TITLE)  # Børn & Familie's, then Økonomi & Stab's
    assert sum("1 uge tidligere end basisplanen" in c for c in cards) == 1
    assert sum("1 uge senere end basisplanen" in c for c in cards) == 1
    assert not any("uger i forhold" in c or "-1" in c for c in cards)


def test_postponing_moves_what_depends_on_it_and_keeps_the_plan_free_of_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    at = _login(_app(STATUS))
    key = "b1/dagtilbud-skoler/workshop"
    at.selectbox(key=f"status_week_{key}").set_value("2026-W16")
    at.button(key=f"status_postpone_{key}").click().run()
    assert not at.exception, at.exception
    follow = at.checkbox(key=f"status_follow_{key}")
    assert (follow.label, follow.value) == ("Flyt også de efterfølgende aktiviteter (2)", True)
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Økonomiopfølgning i MFR (Dagtilbud & Skoler): uge 12–13 → uge 17–18" in shown
    assert "Første status på udrulningen" in shown and "(fælles): uge 16 → uge 17" in shown
    assert not at.error  # moved along, nothing breaks
    at.button(key=f"status_confirm_save_{key}").click().run()
    assert not at.exception, at.exception
    saved = " ".join(s.value.replace("\\", "") for s in at.success)
    assert "udskudt til uge 16. Flyttet med: Økonomiopfølgning i MFR (Dagtilbud & Skoler) til uge 17–18" in saved
    number, plan = _newest()
    assert number == 2
    sched = schedule(plan)  # type: ignore[arg-type]
    weeks = sched.set_index("activity_key")[["start_week", "end_week"]]
    assert weeks.loc[key].tolist() == ["2026-W16", "2026-W16"]
    assert weeks.loc["b1/dagtilbud-skoler/opfolgning"].tolist() == ["2026-W17", "2026-W18"]
    assert weeks.loc["status-chefforum-1"].tolist() == ["2026-W17", "2026-W17"]
    assert not has_errors(check(plan, sched))  # type: ignore[arg-type]
    assert "5 uger senere end basisplanen" in " ".join(_card(at, WORKSHOP_TITLE))


def test_a_postponement_that_would_add_errors_is_saved_only_when_confirmed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    at = _login(_app(STATUS))
    key = "b1/dagtilbud-skoler/workshop"
    at.selectbox(key=f"status_week_{key}").set_value("2026-W16")
    at.button(key=f"status_postpone_{key}").click().run()
    at.checkbox(key=f"status_follow_{key}").uncheck().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Udskydelsen giver 2 nye fejl i tjekket af planen" in errors
    assert "skal være færdig før Økonomiopfølgning i MFR" in errors
    assert at.button(key=f"status_confirm_save_{key}").disabled
    at.button(key=f"status_confirm_cancel_{key}").click().run()  # Fortryd: nothing saved, the question goes
    assert _newest()[0] == 1
    assert f"status_follow_{key}" not in [c.key for c in at.checkbox]
    at.button(key=f"status_postpone_{key}").click().run()
    at.checkbox(key=f"status_follow_{key}").uncheck().run()
    assert _newest()[0] == 1
    at.checkbox(key=f"status_accept_{key}").check().run()
    at.button(key=f"status_confirm_save_{key}").click().run()
    assert not at.exception, at.exception
    number, plan = _newest()
    assert number == 2 and has_errors(check(plan, schedule(plan)))  # type: ignore[arg-type]


def test_the_typed_note_is_saved_with_gennemfoert_and_udskyd() -> None:
    at = _login(_app(STATUS))
    at.text_input(key=f"status_note_{WORKSHOP}").input("Holdt med 14 deltagere")
    at.button(key=f"status_done_{WORKSHOP}").click().run()
    assert not at.exception, at.exception
    at.text_input(key="status_note_compliance-workshops").input("Afventer svar fra IT")
    at.selectbox(key="status_week_compliance-workshops").set_value("2026-W12")
    at.button(key="status_postpone_compliance-workshops").click().run()
    assert not at.exception, at.exception
    number, plan = _newest()
    assert number == 3
    rows = plan.status.set_index("activity_key")  # type: ignore[attr-defined]
    assert rows.loc[WORKSHOP, ["status", "note"]].tolist() == ["gennemført", "Holdt med 14 deltagere"]
    assert rows.loc["compliance-workshops", ["status", "note"]].tolist() == ["udskudt", "Afventer svar fra IT"]


def test_a_note_is_saved_as_text_and_keeps_the_status() -> None:
    at = _login(_app(STATUS))
    key = "b1/dagtilbud-skoler/indkald-workshop"
    at.text_input(key=f"status_note_{key}").input("**Alle** nået <script>")
    at.button(key=f"status_save_note_{key}").click().run()
    assert not at.exception, at.exception
    _, plan = _newest()
    row = plan.status.set_index("activity_key").loc[key]  # type: ignore[attr-defined]
    assert (row["status"], row["note"]) == ("i gang", "**Alle** nået <script>")
    # Shown as typed: Markdown escaped, so '**' is not bold and nothing is interpreted.
    assert "Note: \\*\\*Alle\\*\\* nået \\<script\\>" in [c.value for c in at.caption]


def test_a_new_baseline_needs_a_reason_and_is_a_revision() -> None:
    at = _login(_app(STATUS))
    assert at.button(key="status_baseline").disabled
    at.text_input(key="status_baseline_why").input("Godkendt i Chefforum 15.04.2026").run()
    at.button(key="status_baseline").click().run()
    assert not at.exception, at.exception
    number, plan = _newest()
    assert number == 2
    sources = {s.split(";")[0] for s in plan.baseline["source"]}  # type: ignore[attr-defined]
    assert sources == {"Godkendt i Chefforum 15.04.2026"}  # "; uger: eksempel" where the weeks are examples


def test_the_chefforum_page_follows_the_date_and_the_department() -> None:
    at = _app(CHEFFORUM)
    text = at.markdown[0].value.replace("\\", "")
    assert f"Pr. 11.03.2026 (uge 11) er 8 af {len(schedule(load_plan()))} aktiviteter gennemført" in text
    at.date_input(key="cf_as_of").set_value(dt.date(2026, 4, 15)).run()
    assert "Pr. 15.04.2026 (uge 16)" in at.markdown[0].value.replace("\\", "")
    headings = [s.value for s in at.subheader]
    assert headings[:3] == ["Resumé", "Andel gennemført pr. bølge og afdeling", "Forsinkede aktiviteter"]
    at.selectbox(key="cf_department").set_value("born-familie").run()
    shares = next(d.value for d in at.dataframe if "Andel" in d.value.columns)
    assert set(shares["Afdeling"]) == {"Børn & Familie"}


def test_the_report_is_made_on_request_and_offered_for_download() -> None:
    if shutil.which("chromium") is None:
        pytest.skip("no chromium: the report would say what to install")
    at = _app(CHEFFORUM)
    assert not at.get("download_button")
    at.button(key="cf_make_report").click().run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 1
    assert not at.warning  # the picture was drawn
