"""Foreslå løsning through the real app (AppTest): the proposal as a diff and a preview, saved when accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from editors import accounts_setting, sign_in
from figure_reading import bars
from streamlit.testing.v1 import AppTest

from planner import load_plan, schedule
from planner.replan import replan
from planner.store import Store, default_database_url

ROOT = Path(__file__).resolve().parent.parent
EDIT = "app_pages/rediger_plan.py"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_EDITOR_ACCOUNTS", accounts_setting())


def _proposed() -> AppTest:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    at.run()
    at.switch_page(EDIT).run()
    sign_in(at)
    at.session_state["rp_tab"] = "Foreslå løsning"  # as a click on the tab does
    at.run()
    at.button(key="rpl_run").click().run()
    assert not at.exception, at.exception
    return at


def _saved_weeks() -> dict[str, str]:
    store = Store(default_database_url())
    _, plan = store.load()
    store.close()
    sched = schedule(plan)
    return dict(zip(sched["activity_key"], sched["start_week"], strict=True))


def test_the_proposal_is_shown_as_moves_and_a_marked_preview() -> None:
    expected = replan(load_plan())
    at = _proposed()
    assert f"Forslaget flytter {len(expected.moves)} aktiviteter (bedst mulige)." in [s.value for s in at.success]
    spec = json.loads(at.get("plotly_chart")[-1].proto.spec)
    hover = " ".join(bars(spec)["hover"])
    for move in expected.moves.itertuples():
        assert f"Flyttet fra uge {int(move.from_week[-2:])} 2026 til uge {int(move.to_week[-2:])} 2026" in hover
    assert at.button(key="rpl_save").label == "Gem forslaget som ny revision"


def test_accepting_the_whole_proposal_saves_it_as_a_revision() -> None:
    expected = replan(load_plan())
    at = _proposed()
    at.button(key="rpl_save").click().run()
    assert "Gemt som revision 2." in [s.value.replace("\\", "") for s in at.success]  # shown Markdown-escaped
    weeks = _saved_weeks()
    for key, week in zip(expected.moves["activity_key"], expected.moves["to_week"], strict=True):
        assert weeks[key] == week
    store = Store(default_database_url())
    assert store.history()[0].comment == f"Foreslået løsning: {len(expected.moves)} flytninger"
    store.close()


def test_only_the_selected_moves_are_saved() -> None:
    expected = replan(load_plan())
    at = _proposed()
    # Untick every move but the wave-2 workshops and their invitations.
    keep = expected.moves["activity_key"].str.startswith("b2/")
    at.session_state["rpl_pick"] = {
        "edited_rows": {int(i): {"Tag med": False} for i in keep[~keep].index},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    at.button(key="rpl_save").click().run()
    assert "Gemt som revision 2." in [s.value.replace("\\", "") for s in at.success]  # shown Markdown-escaped
    weeks = _saved_weeks()
    assert weeks["b2/kultur-fritid/workshop"] == "2026-W19"
    assert weeks["b3/ejendomme/workshop"] == "2026-W42"  # not taken: it stays in the holiday week
