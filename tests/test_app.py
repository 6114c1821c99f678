"""The real app through Streamlit's AppTest: every page renders, filters and links work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import row_names
from streamlit.testing.v1 import AppTest

from planner import load_plan

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app_pages/overblik.py", "app_pages/min_afdeling.py", "app_pages/budget.py"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))


def _app(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "planner_app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _chart(at: AppTest, index: int = 0) -> dict:  # type: ignore[type-arg]
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _bar_rows(spec: dict) -> set[str]:  # type: ignore[type-arg]
    names = row_names(spec["layout"]["yaxis"])
    return {names[y] for trace in spec["data"] if trace["type"] == "bar" for y in trace["y"]}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_a_chart_without_errors(page: str) -> None:
    at = _app(page)
    assert len(at.get("plotly_chart")) == 1
    assert not at.error


def test_the_overview_filter_by_department_changes_the_chart() -> None:
    at = _app(PAGES[0])
    everything = _bar_rows(_chart(at))
    at.multiselect(key="ov_departments").set_value(["born-familie"]).run()
    filtered = _bar_rows(_chart(at))
    assert filtered == {"Børn & Familie › Børn & Familie"}
    assert len(everything) > len(filtered)


def test_the_overview_groups_by_wave_on_request() -> None:
    at = _app(PAGES[0])
    at.selectbox(key="ov_group").set_value("wave").run()
    assert "<b>Bølge 1 (marts 2026)</b>" in _chart(at)["layout"]["yaxis"]["ticktext"]


def test_the_zoom_preset_sets_the_axis_range() -> None:
    at = _app(PAGES[0])
    at.radio(key="ov_zoom").set_value("next8").run()
    assert _chart(at)["layout"]["xaxis"]["range"] == ["2026-03-09", "2026-05-04"]


def test_the_overview_lists_the_findings() -> None:
    at = _app(PAGES[0])
    table = at.dataframe[0].value
    assert "uge 42 2026" in set(table["Uge"])
    assert table["Problem"].str.contains("efterårsferie").any()


def test_a_link_with_afdeling_selects_the_department() -> None:
    at = _app(PAGES[1], afdeling="born-og-familie")
    assert at.selectbox(key="ma_department").value == "born-familie"
    assert _bar_rows(_chart(at)) == {"Børn & Familie › Børn & Familie"}
    assert "Workshop for ledere og administrative" in " ".join(m.value for m in at.markdown)


def test_choosing_another_department_updates_the_link() -> None:
    at = _app(PAGES[1])
    at.selectbox(key="ma_department").set_value("miljo-teknik").run()
    assert at.query_params["afdeling"] == "miljo-og-teknik"
    assert _bar_rows(_chart(at)) == {"Miljø & Teknik › Miljø & Teknik"}


def test_the_budget_page_shows_milestones_and_collisions() -> None:
    at = _app(PAGES[2])
    spec = _chart(at)
    diamonds = [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "diamond"]
    assert sum(len(t["x"]) for t in diamonds) == len(load_plan().milestones)
    assert "Uge 42" in " ".join(m.value for m in at.markdown)


def test_the_chart_toolbar_saves_a_named_png_for_slides() -> None:
    at = _app(PAGES[0])
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "mfr-tidsplan-overblik", "scale": 2}
    assert config["displaylogo"] is False


def test_the_overview_offers_the_whole_plan_as_excel() -> None:
    at = _app(PAGES[0])
    downloads = at.get("download_button")
    assert len([d for d in downloads if "Hent hele planen (Excel)" in str(d.proto)]) == 1
