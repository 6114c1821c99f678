"""Status til Chefforum's chart through the real app (AppTest): the rollout's status drawn in the Gantt."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import load_plan, schedule
from planner.gantt_status import MARK_LEGENDS
from planner.progress import progress
from planner.status_marks import DONE, OVERDUE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)


def test_the_chefforum_chart_shows_done_and_overdue_as_of_its_date() -> None:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/chefforum.py").run()
    assert not at.exception, at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = {t.get("name") for t in spec["data"] if t.get("showlegend") is not False}
    plan = load_plan()
    table = progress(plan, schedule(plan), dt.date(2026, 4, 15))
    assert table["overdue"].any() and (table["status"] == "gennemført").any()
    assert MARK_LEGENDS[OVERDUE] in legend
    assert MARK_LEGENDS[DONE] in legend


def test_the_chefforum_chart_labels_its_line_with_the_status_date() -> None:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/chefforum.py").run()
    at.date_input(key="cf_as_of").set_value(dt.date(2026, 3, 11)).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = [a["text"] for a in spec["layout"].get("annotations", [])]
    assert "status pr. 11.03.2026" in labels and "i dag" not in labels
