"""The calendar button on Min afdeling and Overblik, and the app's per-revision calendar with SEQUENCE."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.calendar_download import calendar_bytes, subscription_link
from app_pages.common import plan_store
from planner.model import Plan

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_CALENDAR_ID", raising=False)


def _page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("page", "params"),
    [("app_pages/min_afdeling.py", {"afdeling": "born-og-familie"}), ("app_pages/overblik.py", {})],
)
def test_the_page_offers_the_calendar_and_says_how_to_get_it_into_outlook(page: str, params: dict[str, str]) -> None:
    at = _page(page, **params)
    buttons = [b for b in at.get("download_button") if b.proto.label == "Hent kalender (.ics)"]
    assert len(buttons) == 1
    # Built on click, not on every run (the click itself is in test_calendar_server.py, in Chromium).
    assert buttons[0].proto.deferred_file_id
    assert [e.label for e in at.expander] == ["Sådan får du kalenderen i Outlook"]
    howto = " ".join(m.value for m in at.expander[0].markdown)
    assert "Upload fra fil" in howto and "Åbn som ny" in howto
    assert "Abonnér" not in howto  # no subscription route in this process


def _move_workshop(plan: Plan, week: str) -> Plan:
    row = pd.DataFrame([{"unit_id": "born-familie", "activity_id": "workshop", "start_week": week, "source": "x"}])
    return plan.with_tables(overrides=pd.concat([plan.overrides, row], ignore_index=True).fillna(""))


def _events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_sequence_is_the_revision_an_event_last_changed_in_across_saved_revisions() -> None:
    store = plan_store()  # a fresh SQLite file in tmp_path, seeded from data/ as revision 1
    plan = store.load(1)[1]
    store.save(_move_workshop(plan, "2026-W12"), base=1, editor="marie@albertslund.dk", comment="flyt workshop")
    store.save(store.load(2)[1].with_settings(plan.settings), base=2, editor="tine@albertslund.dk")  # no change
    saved = {r.number: r.saved_at.replace(microsecond=0) for r in store.history()}

    at_2 = _events(calendar_bytes(store.url, 2, "born-familie", None))
    at_3 = _events(calendar_bytes(store.url, 3, "born-familie", None))  # advanced from 2, not refolded
    workshop = "Workshop for ledere og administrative – Børn & Familie"
    for events in (at_2, at_3):
        assert int(events[workshop]["SEQUENCE"]) == 2
        assert events[workshop].decoded("LAST-MODIFIED") == saved[2]
        assert events[workshop].decoded("DTSTART") == dt.date(2026, 3, 16)
        assert {int(e["SEQUENCE"]) for s, e in events.items() if s != workshop} == {1}
        assert {e.decoded("DTSTAMP") for s, e in events.items() if s != workshop} == {saved[1]}
    # Moving it back is a change too: SEQUENCE grows, it never goes back to 1.
    store.save(_move_workshop(plan, "2026-W11"), base=3, editor="marie@albertslund.dk")
    at_4 = _events(calendar_bytes(store.url, 4, "born-familie", None))
    assert int(at_4[workshop]["SEQUENCE"]) == 4
    assert at_4[workshop].decoded("DTSTART") == dt.date(2026, 3, 9)
    # An older revision asked for after a newer one gets its own versions.
    assert int(_events(calendar_bytes(store.url, 1, "born-familie", None))[workshop]["SEQUENCE"]) == 1


def test_after_a_restart_sequence_looks_back_a_horizon_and_never_goes_down(monkeypatch: pytest.MonkeyPatch) -> None:
    import app_pages.calendar_download as download

    monkeypatch.setattr(download, "HISTORY_HORIZON", 2)
    store = plan_store()
    plan = store.load(1)[1]
    store.save(_move_workshop(plan, "2026-W12"), base=1, editor="marie@albertslund.dk")
    store.save(store.load(2)[1], base=2, editor="marie@albertslund.dk")
    store.save(store.load(3)[1], base=3, editor="marie@albertslund.dk")
    saved = {r.number: r.saved_at.replace(microsecond=0) for r in store.history()}
    events = _events(calendar_bytes(store.url, 4, "born-familie", None))  # cold: reads revisions 3 and 4 only
    assert {int(e["SEQUENCE"]) for e in events.values()} == {3}
    assert {e.decoded("LAST-MODIFIED") for e in events.values()} == {saved[3]}
    store.save(_move_workshop(plan, "2026-W13"), base=4, editor="marie@albertslund.dk")
    later = _events(calendar_bytes(store.url, 5, "born-familie", None))  # warm: one more revision
    workshop = "Workshop for ledere og administrative – Børn & Familie"
    assert int(later[workshop]["SEQUENCE"]) == 5
    assert {int(e["SEQUENCE"]) for s, e in later.items() if s != workshop} == {3}


def test_renaming_the_plan_keeps_every_uid() -> None:
    store = plan_store()
    plan = store.load(1)[1]
    first = icalendar.Calendar.from_ical(calendar_bytes(store.url, 1, None, None))
    before = {str(e["UID"]) for e in first.walk("VEVENT")}
    renamed = plan.with_settings(type(plan.settings)(title="Nyt navn", consultant_capacity_hours=8))
    store.save(renamed, base=1, editor="marie@albertslund.dk")
    data = calendar_bytes(store.url, 2, None, None)
    after = {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert after == before
    assert any(uid.endswith("@udrulning-af-mit-forventede-regnskab-og-budget-2027") for uid in after)
    assert str(icalendar.Calendar.from_ical(data)["X-WR-CALDESC"]) == "Nyt navn"


def test_no_subscription_link_without_the_route_a_secret_and_a_public_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANNER_CALENDAR_SECRET", "s" * 40)
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://planner.example")
    assert subscription_link("born-familie") is None  # `streamlit run planner_app.py`: no route mounted
