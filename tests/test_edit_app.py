"""Editing through the real app (AppTest): rights, a unit moved between waves, an invalid edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import row_names
from streamlit.testing.v1 import AppTest

from planner.auth import hash_password
from planner.edits import move_unit
from planner.store import Store, default_database_url

ROOT = Path(__file__).resolve().parent.parent
EDIT = "app_pages/rediger_plan.py"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_EDITOR_PASSWORD_HASH", hash_password("hemmelig", iterations=1_000))


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    at.run()
    at.switch_page(EDIT).run()
    assert not at.exception, at.exception
    return at


def _login(at: AppTest, password: str = "hemmelig") -> AppTest:
    at.text_input(key="auth_name").input("Marie Aasøe")
    at.text_input(key="auth_password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_a_viewer_sees_no_editing_controls() -> None:
    at = _app()
    assert not at.get("data_editor") and not at.get("arrow_data_frame")
    assert [b.label for b in at.button] == ["Log ind"]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("rp_")]


def test_a_wrong_password_gives_no_rights() -> None:
    at = _login(_app(), password="forkert")
    assert "Forkert navn eller adgangskode." in [e.value for e in at.error]
    assert [b.label for b in at.button] == ["Log ind"]


def test_an_editor_moves_a_unit_to_wave_3_and_the_overview_shows_it() -> None:
    at = _login(_app())
    at.selectbox(key="rp_move_unit").set_value("kultur-fritid")
    at.selectbox(key="rp_move_wave").set_value(3)
    at.button(key="rp_move_save").click().run()
    assert "Gemt som revision 2." in [s.value for s in at.success]
    store = Store(default_database_url())
    assert store.history()[0].editor == "Marie Aasøe"
    assert store.load()[1].assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 3
    store.close()

    at.switch_page("app_pages/overblik.py").run()
    at.multiselect(key="ov_waves").set_value([3]).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = row_names(spec["layout"]["yaxis"])
    rows = {names[y] for t in spec["data"] if t["type"] == "bar" for y in t["y"]}
    assert "Kultur, Fritid & Ejendomme › Kultur & Fritid" in rows


def test_an_edit_in_the_table_is_previewed_and_saved() -> None:
    at = _login(_app())
    at.session_state["rp_edit_assignments"] = {
        "edited_rows": {5: {"wave": "3"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    changes = next(d.value for d in at.dataframe if "Ændring" in d.value.columns)
    assert "flyttet fra bølge 2 til bølge 3" in set(changes["Ændring"])
    at.text_input(key="rp_comment").input("Kultur & Fritid til oktober")
    at.button(key="rp_save").click().run()
    assert "Gemt som revision 2." in [s.value for s in at.success]
    store = Store(default_database_url())
    assert store.history()[0].comment == "Kultur & Fritid til oktober"
    store.close()


def test_an_invalid_edit_shows_the_error_by_row_and_saves_nothing() -> None:
    at = _login(_app())
    at.session_state["rp_edit_overrides"] = {
        "edited_rows": {0: {"start_week": "2027-W53"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert "Planen kan ikke gemmes, før disse fejl er rettet:" in [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # as rendered, without Markdown escapes
    assert "Afvigelser pr. enhed, række 1, felt 'startuge'" in text
    assert "2027 har kun uge 1 til 52" in text
    assert not [b for b in at.button if b.key == "rp_save"]
    store = Store(default_database_url())
    assert store.latest() == 1
    store.close()


def test_a_stale_save_is_refused_in_the_page_and_the_edits_stay() -> None:
    at = _login(_app())
    other = Store(default_database_url())
    _, plan = other.load()

    other.save(move_unit(plan, "ejendomme", 2), base=1, editor="tine@albertslund.dk", comment="Ejendomme til maj")
    other.close()
    edit = {"edited_rows": {5: {"wave": "3"}}, "added_rows": [], "deleted_rows": []}
    at.session_state["rp_edit_assignments"] = edit
    at.run()
    at.button(key="rp_save").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "revision 2 gemt af tine@albertslund.dk" in errors
    assert "Ejendomme: flyttet fra bølge 3 til bølge 2" in errors
    assert at.session_state["rp_edit_assignments"]["edited_rows"] == {5: {"wave": "3"}}
    assert at.button(key="rp_reload").label.startswith("Start forfra fra revision 2")


def test_an_editor_adds_a_council_meeting_and_it_is_saved() -> None:
    at = _login(_app())
    at.session_state["rp_edit_council_meetings"] = {
        "edited_rows": {},
        "added_rows": [{"date": "2027-10-12", "body": "KB", "source": "eksempel"}],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    changes = next(d.value for d in at.dataframe if "Ændring" in d.value.columns)
    assert ("KB-møde 12.10.2027", "tilføjet") in set(zip(changes["Hvad"], changes["Ændring"], strict=True))
    at.button(key="rp_save").click().run()
    assert "Gemt som revision 2." in [s.value for s in at.success]
    store = Store(default_database_url())
    meetings = store.load()[1].council_meetings
    store.close()
    assert ((meetings["date"] == "2027-10-12") & (meetings["body"] == "KB")).any()


def test_a_meeting_of_an_unknown_body_is_refused_by_row_and_field() -> None:
    at = _login(_app())
    at.session_state["rp_edit_council_meetings"] = {
        "edited_rows": {},
        "added_rows": [{"date": "2027-10-12", "body": "Byrådet", "source": "eksempel"}],
        "deleted_rows": [],
    }
    at.run()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Politiske møder, række" in text and "felt 'forum'" in text
    assert "ukendt værdi 'Byrådet'" in text
    assert not [b for b in at.button if b.key == "rp_save"]
