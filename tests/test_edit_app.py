"""Editing through the real app (AppTest): accounts, the Danish editor, merges, moves, import and history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from conftest import row_names
from streamlit.testing.v1 import AppTest
from workbooks import edit, find_row, libreoffice_resave

from planner import Plan
from planner.auth import account_line
from planner.edits import move_unit
from planner.excel import export_workbook
from planner.store import Store, default_database_url

ROOT = Path(__file__).resolve().parent.parent
EDIT = "app_pages/rediger_plan.py"
MARIE = ("marie@albertslund.dk", "forår-2026-kode")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The sign-in throttle lives for the server process (cache_resource): each test is a fresh server.
    st.cache_resource.clear()
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv(
        "PLANNER_EDITOR_ACCOUNTS",
        "\n".join(
            [
                account_line(*MARIE, name="Marie Aasøe", iterations=1_000),
                account_line("tine@albertslund.dk", "sommer-2026-kode", name="Tine Holm", iterations=1_000),
            ]
        ),
    )


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=180)
    at.run()
    at.switch_page(EDIT).run()
    assert not at.exception, at.exception
    return at


def _login(at: AppTest, email: str = MARIE[0], password: str = MARIE[1]) -> AppTest:
    at.text_input(key="auth_email_input").input(email)
    at.text_input(key="auth_password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _texts(elements: Any) -> list[str]:
    """Return the texts of alerts as a reader sees them: user text is shown with Markdown escaped."""
    return [e.value.replace("\\", "") for e in elements]


def _tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of Rediger plan, as a click on it does (only the open tab is computed)."""
    at.session_state["rp_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def _store() -> Store:
    return Store(default_database_url())


def _editor(at: AppTest, name: str) -> Any:
    return next(d for d in at.dataframe if d.key == f"rp_edit_{name}")


def _columns(at: AppTest, name: str) -> dict[str, dict[str, Any]]:
    """Return the column settings the browser gets for one table editor, by column code."""
    return dict(json.loads(_editor(at, name).proto.columns))


TABS = {"Tabeller": 0, "Flyt enhed": 1, "Importér fra Excel": 2, "Historik": 3}


def _frame(at: AppTest, tab: str, column: str) -> Any:
    """Return the first table shown in a tab of Rediger plan that has a column with this heading."""
    return next(d.value for d in at.tabs[TABS[tab]].dataframe if column in d.value.columns)


def test_a_viewer_sees_no_editing_controls() -> None:
    at = _app()
    assert not at.dataframe
    assert [b.label for b in at.button] == ["Log ind"]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("rp_")]


def test_a_wrong_password_gives_no_rights() -> None:
    at = _login(_app(), password="forkert-kode")
    assert "Forkert e-mail eller adgangskode." in _texts(at.error)
    assert [b.label for b in at.button] == ["Log ind"]


def test_after_five_wrong_passwords_even_the_right_one_waits() -> None:
    at = _app()
    for _ in range(5):
        _login(at, password="forkert-kode")
    _login(at)
    assert "For mange forkerte forsøg. Prøv igen om 30 sekunder." in _texts(at.error)
    assert "auth_editor" not in at.session_state


def test_the_history_names_the_account_not_what_anyone_typed() -> None:
    at = _login(_app())
    assert "Logget ind som Marie Aasøe" in " ".join(c.value for c in at.caption)
    _tab(at, "Flyt enhed")
    at.selectbox(key="rp_move_unit").set_value("kultur-fritid").run()
    at.selectbox(key="rp_move_wave").set_value(3).run()
    at.button(key="rp_move_save").click().run()
    assert "Gemt som revision 2." in _texts(at.success)
    store = _store()
    assert store.history()[0].editor == "Marie Aasøe"
    store.close()


def test_the_editor_shows_names_danish_kinds_weeks_and_dates() -> None:
    at = _login(_app())
    assignments = _columns(at, "assignments")
    unit = assignments["unit_id"]
    assert unit["label"] == "Enhed"
    options = {o["value"]: o["label"] for o in unit["type_config"]["options"]}
    assert options["ass-uden-vagtplaner"] == "Ældre, Sundhed & Social (ekskl. enheder med vagtplaner)"
    waves = {o["value"]: o["label"] for o in assignments["wave"]["type_config"]["options"]}
    assert waves["3"] == "Bølge 3 (oktober 2026)"
    kinds = {o["value"]: o["label"] for o in _columns(at, "template")["kind"]["type_config"]["options"]}
    assert (kinds["meeting"], kinds["preparation"], kinds["follow-up"]) == ("møde", "forberedelse", "opfølgning")
    ms = {o["value"]: o["label"] for o in _columns(at, "milestones")["kind"]["type_config"]["options"]}
    assert set(ms.values()) == {"politisk", "administrativ", "lovkrav"}
    assert _columns(at, "milestones")["date"]["type_config"]["format"] == "DD.MM.YYYY"
    tasks = _editor(at, "tasks").value
    assert tasks.loc[0, "start_week"] == "uge 4 2026"
    hours = tasks.set_index("task_id")["hours"]
    assert hours["praesentation-chefforum"] == "1" and hours["status-chefforum-1"] == "0,5"
    # An empty drop-down cell holds a code shown as nothing (an empty string would show as "None").
    waves = {o["value"]: o["label"] for o in _columns(at, "tasks")["wave"]["type_config"]["options"]}
    assert waves[tasks.loc[0, "wave"]] == ""
    assert "None" not in tasks.astype(str).to_numpy().tolist()


def test_an_edit_in_the_table_is_previewed_and_saved() -> None:
    at = _login(_app())
    at.session_state["rp_edit_assignments"] = {"edited_rows": {5: {"wave": "3"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    changes = _frame(at, "Tabeller", "Område")
    assert "flyttet fra bølge 2 til bølge 3" in set(changes["Ændring"])
    at.text_input(key="rp_comment").input("Kultur & Fritid til oktober")
    at.button(key="rp_save").click().run()
    assert "Gemt som revision 2." in _texts(at.success)
    store = _store()
    assert store.history()[0].comment == "Kultur & Fritid til oktober"
    store.close()


def test_an_invalid_edit_shows_the_error_by_row_and_saves_nothing() -> None:
    at = _login(_app())
    at.session_state["rp_edit_overrides"] = {
        "edited_rows": {0: {"start_week": "uge 53 2027"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert "Planen kan ikke gemmes, før disse fejl er rettet:" in _texts(at.error)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # as rendered, without Markdown escapes
    assert "Afvigelser pr. enhed, række 1, felt 'startuge'" in text
    assert "2027 har kun uge 1 til 52" in text
    assert not [b for b in at.button if b.key == "rp_save"]
    store = _store()
    assert store.latest() == 1
    store.close()


def test_a_save_after_another_editors_save_merges_both(sample_plan: Plan) -> None:
    at = _login(_app())
    other = _store()
    other.save(move_unit(sample_plan, "ejendomme", 2), base=1, editor="Tine Holm", comment="**Ejendomme** til [maj](x)")
    at.session_state["rp_edit_assignments"] = {"edited_rows": {5: {"wave": "3"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert any("revision 2 af Tine Holm" in w for w in _texts(at.warning))
    # A comment is user text: shown as typed, never as Markdown.
    assert any(r"\*\*Ejendomme\*\* til \[maj\]\(x\)" in w.value for w in at.warning)
    at.button(key="rp_save").click().run()
    [done] = _texts(at.success)
    assert done.startswith("Gemt som revision 3. Dine ændringer er flettet med revision 2 (Tine Holm")
    waves = other.load()[1].assignments.set_index("unit_id")["wave"]
    assert (waves["kultur-fritid"], waves["ejendomme"]) == (3, 2)
    other.close()


def test_a_row_both_editors_changed_waits_for_a_choice_and_writes_nothing_until_then(sample_plan: Plan) -> None:
    at = _login(_app())
    edit_rows = {"edited_rows": {5: {"wave": "3"}}, "added_rows": [], "deleted_rows": []}
    at.session_state["rp_edit_assignments"] = edit_rows
    at.run()
    other = _store()
    other.save(move_unit(sample_plan, "kultur-fritid", 1), base=1, editor="Tine Holm", comment="til marts")
    at.button(key="rp_save").click().run()  # the page thought it was current; the click finds the newer save
    assert "1 række er ændret både af dig og i en nyere revision." in " ".join(_texts(at.error))
    assert other.latest() == 2
    assert at.session_state["rp_edit_assignments"]["edited_rows"] == {5: {"wave": "3"}}  # the edit stays

    conflicts = _frame(at, "Tabeller", "Din værdi")
    row = conflicts.iloc[0]
    assert (row["Række"], row["I din formular"], row["Felt"]) == (
        "Enheder i bølger: Kultur & Fritid",
        "række 6",
        "bølge, kilde",
    )
    assert row["Din værdi"].startswith("Bølge 3 (oktober 2026)") and row["Deres værdi"].startswith(
        "Bølge 1 (marts 2026)"
    )
    assert row["Ændret af"].startswith("Tine Holm, revision 2 (")
    assert any("Enheder i bølger: 1 række er også ændret" in w for w in _texts(at.warning))
    assert at.button(key="rp_save").disabled

    [choice] = [r for r in at.radio if r.key and r.key.startswith("rp_choice_tables_assignments")]
    choice.set_value("Behold mine").run()
    assert not at.button(key="rp_save").disabled
    at.button(key="rp_save").click().run()
    assert _texts(at.success)[0].startswith("Gemt som revision 3.")
    assert other.load()[1].assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 3
    other.close()


def test_moving_a_unit_shows_its_effect_before_anything_is_saved() -> None:
    at = _login(_app())
    _tab(at, "Flyt enhed")
    at.selectbox(key="rp_move_unit").set_value("kultur-fritid").run()
    at.selectbox(key="rp_move_wave").set_value(3).run()
    changes = _frame(at, "Flyt enhed", "Område")
    assert "flyttet fra bølge 2 til bølge 3" in set(changes["Ændring"])
    findings = _frame(at, "Flyt enhed", "Alvor")
    assert any("uge 42" in m for m in findings["Problem"])  # the workshop lands in the autumn holiday
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    rows = {row_names(spec["layout"]["yaxis"])[y] for t in spec["data"] if t["type"] == "bar" for y in t["y"]}
    assert rows == {"Kultur, Fritid & Ejendomme › Kultur & Fritid"}
    store = _store()
    assert store.latest() == 1  # nothing saved by looking
    store.close()


def test_a_libreoffice_resaved_department_plan_imports_as_its_one_change(sample_plan: Plan, tmp_path: Path) -> None:
    def one_edit(ws: Any, c: dict[str, int]) -> None:
        r = find_row(ws, c, "born-familie", "orientering")
        ws.cell(r, c["Startuge"]).value = "2026-W10"
        ws.cell(r, c["Slutuge"]).value = "2026-W10"

    data = libreoffice_resave(edit(export_workbook(sample_plan, department="born-familie"), one_edit), tmp_path)
    at = _login(_app())
    _tab(at, "Importér fra Excel")
    at.file_uploader(key="rp_upload").set_value(("ugeplan-born-og-familie-2026.xlsx", data, "application/xlsx")).run()
    assert not at.exception, at.exception
    assert "**1 aktivitet flyttes, 0 aktiviteter tilføjes, 0 aktiviteter fjernes.**" in [m.value for m in at.markdown]
    changes = _frame(at, "Importér fra Excel", "Fra uge")
    assert changes.to_dict("records") == [
        {
            "Ændring": "flyttet",
            "Enhed": "Børn & Familie",
            "Aktivitet": "Orienteringsmøde for ledere",
            "Fra uge": "uge 9 2026",
            "Til uge": "uge 10 2026",
        }
    ]
    at.button(key="rp_import_save").click().run()
    assert "Gemt som revision 2." in _texts(at.success)
    store = _store()
    overrides = store.load()[1].overrides.set_index(["unit_id", "activity_id"])["start_week"]
    assert overrides["born-familie", "orientering"] == "2026-W10" and len(overrides) == 2
    store.close()


def test_removing_by_import_needs_a_confirmation(sample_plan: Plan) -> None:
    def mark(ws: Any, c: dict[str, int]) -> None:
        ws.cell(find_row(ws, c, "", "beskrivelse-udfordringer"), c["Slet"]).value = "x"

    at = _login(_app())
    data = edit(export_workbook(sample_plan), mark)
    _tab(at, "Importér fra Excel")
    at.file_uploader(key="rp_upload").set_value(("ugeplan.xlsx", data, "application/xlsx")).run()
    assert at.button(key="rp_import_save").disabled
    at.checkbox(key="rp_import_confirm").check().run()
    at.button(key="rp_import_save").click().run()
    store = _store()
    assert "beskrivelse-udfordringer" not in set(store.load()[1].tasks["task_id"])
    store.close()


def test_history_follows_the_newest_revisions_and_restoring_asks_first() -> None:
    at = _login(_app())
    _tab(at, "Flyt enhed")
    at.selectbox(key="rp_move_unit").set_value("kultur-fritid").run()
    at.selectbox(key="rp_move_wave").set_value(3).run()
    at.button(key="rp_move_save").click().run()
    _tab(at, "Historik")
    history = _frame(at, "Historik", "Af")
    assert history["Af"].tolist() == ["Marie Aasøe", "system"]
    assert (at.selectbox(key="rp_diff_old_2").value, at.selectbox(key="rp_diff_new_2").value) == (1, 2)
    at.selectbox(key="rp_diff_old_2").set_value(2).run()
    assert "Ingen forskel: du sammenligner revision 2 med sig selv." in _texts(at.info)

    undo = _frame(at, "Historik", "Område")
    assert "flyttet fra bølge 3 til bølge 2" in set(undo["Ændring"])
    assert at.button(key="rp_restore").disabled
    at.checkbox(key="rp_restore_confirm_2_1").check().run()
    at.button(key="rp_restore").click().run()
    assert "Revision 1 er gendannet som revision 3." in _texts(at.success)
    assert (at.selectbox(key="rp_diff_old_3").value, at.selectbox(key="rp_diff_new_3").value) == (2, 3)


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
    assert "Gemt som revision 2." in _texts(at.success)
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


def test_after_saving_on_the_status_page_the_editor_simply_edits_the_newest_revision() -> None:
    at = _login(_app())
    assert "Du redigerer revision 1." in " ".join(c.value for c in at.caption)
    at.switch_page("app_pages/status.py").run()
    at.button(key="status_done_b1/born-familie/workshop").click().run()
    assert not at.exception, at.exception
    at.switch_page(EDIT).run()
    assert not at.exception, at.exception
    assert "Du redigerer revision 2." in " ".join(c.value for c in at.caption)
    assert not at.warning  # no "Andre har gemt …" about the editor's own save, nothing to merge
    assert "rp_reload" not in [b.key for b in at.button]


def test_with_unsaved_edits_newer_revisions_are_named_and_the_editors_own_are_not_called_others(
    sample_plan: Plan,
) -> None:
    at = _login(_app())
    at.session_state["rp_edit_assignments"] = {"edited_rows": {5: {"wave": "3"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    store = _store()
    store.save(move_unit(sample_plan, "ejendomme", 2), base=1, editor="Marie Aasøe", comment="Ejendomme til maj")
    store.save(move_unit(move_unit(sample_plan, "ejendomme", 2), "born-familie", 2), base=2, editor="Tine Holm")
    at.run()
    notice = _texts(at.warning)[0]
    assert notice.startswith("Der er gemt nyere revisioner, siden du begyndte: revision 2 af dig ")
    assert "(Ejendomme til maj); revision 3 af Tine Holm " in notice and "Andre" not in notice
    assert "Du redigerer revision 1." in " ".join(c.value for c in at.caption)  # the edit stays on its base
    assert at.button(key="rp_reload").label == "Start forfra fra revision 3 (mine ændringer kasseres)"
    at.button(key="rp_save").click().run()
    assert _texts(at.success)[0].startswith("Gemt som revision 4. Dine ændringer er flettet med revision 2")
    waves = store.load()[1].assignments.set_index("unit_id")["wave"]
    assert (waves["kultur-fritid"], waves["ejendomme"], waves["born-familie"]) == (3, 2, 2)
    store.close()


def test_a_chosen_move_is_work_in_progress_and_keeps_its_revision(sample_plan: Plan) -> None:
    at = _login(_app())
    _tab(at, "Flyt enhed")
    at.selectbox(key="rp_move_unit").set_value("kultur-fritid").run()
    at.selectbox(key="rp_move_wave").set_value(3).run()
    store = _store()
    store.save(move_unit(sample_plan, "ejendomme", 2), base=1, editor="Tine Holm", comment="til maj")
    at.run()
    assert any(
        w.startswith("Der er gemt nyere revisioner, siden du begyndte: revision 2 af Tine Holm")
        for w in _texts(at.warning)
    )
    assert "Du redigerer revision 1." in " ".join(c.value for c in at.caption)
    at.selectbox(key="rp_move_wave").set_value(2).run()  # back to its own wave: no work left, follow the newest
    assert "Du redigerer revision 2." in " ".join(c.value for c in at.caption)
    assert not at.warning
    store.close()
