"""The real app through Streamlit's AppTest: every page renders, filters, links and downloads work."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from figure_reading import bars
from streamlit.testing.v1 import AppTest

from planner import DEFAULT_DATA_DIR, load_plan, save_plan, schedule
from planner.synthetic import large_plan
from planner.views import analyse

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app_pages/overblik.py", "app_pages/min_afdeling.py", "app_pages/budget.py"]
SAMPLE = schedule(load_plan(DEFAULT_DATA_DIR))  # the counts the pages show come from the sample plan


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-03-11")
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)
    monkeypatch.delenv("PLANNER_PUBLIC_URL", raising=False)


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
    return set(bars(spec)["y"])


def _plain(text: str) -> str:
    """Return Markdown as a reader sees it: escapes and emphasis removed."""
    return re.sub(r"\\(.)", r"\1", text.replace("**", "").replace("*", ""))


def _findings(at: AppTest) -> list[dict[str, str]]:
    """Return the listed problems as the reader sees them: severity, week, unit, problem, suggestion."""
    found = []
    for block in at.markdown:
        for line in str(block.value).splitlines():
            m = re.match(
                r"^- \*\*(Fejl|Advarsel)(?: · (uge \d+ \d{4}))?(?: · (.+?))?\*\*: (.+?)\.(?: \*Forslag: (.+)\*)?$", line
            )
            if m:
                severity, week, unit, message, suggestion = (_plain(g or "") for g in m.groups())
                found.append({"Alvor": severity, "Uge": week, "Enhed": unit, "Problem": message, "Forslag": suggestion})
    return found


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.info, at.success, at.error, at.warning) for e in kind]
    # What the reader sees: Markdown escapes (user text is escaped before rendering) removed.
    return _plain("\n".join(str(p) for p in parts))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_a_chart_without_errors(page: str) -> None:
    at = _app(page)
    assert len(at.get("plotly_chart")) == 1
    assert not at.error


def test_the_overview_filter_by_department_changes_the_chart_the_count_and_the_problems() -> None:
    at = _app(PAGES[0])
    everything = _bar_rows(_chart(at))
    assert len(_findings(at)) == 6
    at.multiselect(key="ov_departments").set_value(["miljo-teknik"]).run()
    assert _bar_rows(_chart(at)) == {"Miljø & Teknik › Miljø & Teknik"}
    assert len(everything) > 1
    mine = (SAMPLE["department"] == "Miljø & Teknik").sum()
    assert f"{mine} af {len(SAMPLE)} aktiviteter vist" in _text(at)
    assert {f["Enhed"] for f in _findings(at)} == {"Miljø & Teknik"}  # the problems follow the filter
    # The fields sit folded in a popover: its label counts the choices, a line says what is shown.
    assert at.get("popover")[0].proto.popover.label == "Filtre og periode (1 valgt)"
    assert "Viser Miljø & Teknik · 01.12.2025–13.12.2026 · grupperet efter afdeling." in _text(at)


def test_the_overview_groups_by_wave_on_request() -> None:
    at = _app(PAGES[0])
    at.selectbox(key="ov_group").set_value("wave").run()
    assert "<b>Bølge 1 (marts 2026)</b>" in _chart(at)["layout"]["yaxis"]["ticktext"]


def test_a_period_preset_fills_in_the_period_and_the_caption_counts_what_is_visible() -> None:
    at = _app(PAGES[0])
    at.button(key="ov_zoom_next8").click().run()
    assert at.date_input(key="ov_dates").value == (dt.date(2026, 3, 9), dt.date(2026, 5, 3))
    assert at.button(key="ov_zoom_next8").proto.type == "primary"  # the chosen preset is lit
    assert _chart(at)["layout"]["xaxis"]["range"] == ["2026-03-09", "2026-05-04"]
    shown = bars(_chart(at))
    visible = shown[shown["trace"] != "Rød ramme: problem (se listen)"]
    assert f"{len(visible)} af {len(SAMPLE)} aktiviteter vist i perioden 09.03.–03.05.2026." in _text(at)
    assert (visible["end"] > "2026-03-09").all() and (visible["base"] < "2026-05-04").all()


def test_typing_a_period_clears_the_preset_and_zooms_the_chart() -> None:
    at = _app(PAGES[0])
    at.date_input(key="ov_dates").set_value((dt.date(2026, 9, 28), dt.date(2026, 10, 25))).run()
    assert at.button(key="ov_zoom_plan").proto.type == "secondary"  # no preset is lit
    assert _chart(at)["layout"]["xaxis"]["range"] == ["2026-09-28", "2026-10-26"]
    assert "i perioden 28.09.–25.10.2026" in _text(at)
    # The problems follow the period too: only the October ones are left.
    assert {f["Uge"] for f in _findings(at)} == {"uge 42 2026"}


def test_an_empty_period_says_so_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    after = SAMPLE["end_date"].max().date() + dt.timedelta(days=1)  # the Monday after the plan's last week
    monkeypatch.setenv("PLANNER_TODAY", after.isoformat())
    at = _app(PAGES[0])
    at.button(key="ov_zoom_next8").click().run()
    assert not at.get("plotly_chart")
    last = after + dt.timedelta(weeks=8, days=-1)
    assert f"Ingen aktiviteter i perioden {after:%d.%m.%Y}–{last:%d.%m.%Y}" in _text(at)


def test_past_problems_can_be_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-06-01")
    at = _app(PAGES[0])
    assert {f["Uge"] for f in _findings(at)} == {"uge 42 2026"}  # uge 20 is past: hidden by default
    at.toggle(key="ov_hide_past").set_value(False).run()
    assert {f["Uge"] for f in _findings(at)} == {"uge 20 2026", "uge 42 2026"}


def test_the_overview_lists_the_findings_below_the_chart() -> None:
    at = _app(PAGES[0])
    found = _findings(at)
    assert "uge 42 2026" in {f["Uge"] for f in found}
    assert any("efterårsferie" in f["Problem"] for f in found)
    assert all(f["Forslag"].startswith("Flyt til uge") for f in found)
    assert "0 fejl og 6 advarsler i det viste udsnit" in _text(at)
    assert not at.columns  # the chart has the page's width, nothing beside it


def test_the_excel_download_is_built_on_click_and_named_with_the_revision() -> None:
    at = _app(PAGES[0])
    proto = at.get("download_button")[0].proto
    assert proto.label == "Hent hele planen (Excel)"
    assert proto.deferred_file_id  # a callable: nothing is built until the button is clicked
    at = _app(PAGES[1], afdeling="born-og-familie")
    proto = at.get("download_button")[0].proto
    assert proto.label == "Hent ugeplanen (Excel)" and proto.deferred_file_id


def test_a_link_with_afdeling_shows_one_row_per_activity() -> None:
    at = _app(PAGES[1], afdeling="born-og-familie")
    assert at.selectbox(key="ma_department").value == "born-familie"
    assert at.get("popover")[0].proto.popover.label == "Børn & Familie"  # the chooser folds under its name
    rows = _bar_rows(_chart(at))
    assert "Børn & Familie › Workshop for ledere og administrative" in rows
    assert len(rows) == 5
    assert "Workshop for ledere og administrative" in _text(at)


def test_a_link_to_an_unknown_department_says_so_and_offers_the_list() -> None:
    at = _app(PAGES[1], afdeling="findes-ikke")
    assert at.error and "'findes-ikke' findes ikke i planen" in _text(at)
    assert not at.get("plotly_chart")
    links = at.get("page_link")
    assert len(links) == 7
    assert "afdeling=born-og-familie" in {link.proto.query_string for link in links}
    assert at.query_params["afdeling"] == "findes-ikke"  # the address is left as the user sent it


def test_choosing_another_department_updates_the_link() -> None:
    at = _app(PAGES[1])
    at.selectbox(key="ma_department").set_value("miljo-teknik").run()
    assert at.query_params["afdeling"] == "miljo-og-teknik"
    assert "Miljø & Teknik › Workshop for ledere og administrative" in _bar_rows(_chart(at))


def test_the_department_link_is_a_full_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://planner.albertslund.dk/")
    at = _app(PAGES[1], afdeling="miljo-og-teknik")
    link = "https://planner.albertslund.dk/min-afdeling?afdeling=miljo-og-teknik"
    assert f"[{link}]({link})" in " ".join(str(m.value) for m in at.markdown)


def test_a_departments_problems_are_listed_on_its_page() -> None:
    at = _app(PAGES[1], afdeling="miljo-og-teknik")
    found = _findings(at)
    assert [f["Enhed"] for f in found] == ["Miljø & Teknik"]
    assert "efterårsferie" in found[0]["Problem"]
    advice = analyse(load_plan(DEFAULT_DATA_DIR)).findings
    workshop = advice[(advice["unit"] == "Miljø & Teknik") & advice["message"].str.contains("efterårsferie")]
    assert found[0]["Forslag"] == _plain(workshop["suggestion"].iloc[0])
    assert found[0]["Forslag"].startswith("Flyt til uge ")
    at = _app(PAGES[1], afdeling="okonomi-og-stab")
    assert "Ingen problemer fundet i planen for Økonomi & Stab." in _text(at)


@pytest.mark.parametrize(
    ("today", "sentence"),
    [
        ("2026-01-05", "Næste aktivitet: Indkaldelse af ledere til workshop, Indkaldelse til orienteringsmøde i uge 5"),
        (
            "2026-06-01",
            "Planens sidste aktivitet, Økonomiopfølgning i MFR, skulle være afsluttet 29.03.2026; "
            "2 aktiviteter er endnu ikke meldt gennemført.",
        ),
    ],
)
def test_a_quiet_week_names_the_next_activity_or_the_end(
    monkeypatch: pytest.MonkeyPatch, today: str, sentence: str
) -> None:
    monkeypatch.setenv("PLANNER_TODAY", today)
    at = _app(PAGES[1], afdeling="born-og-familie")
    assert sentence in _text(at)


def test_the_budget_page_shows_milestones_and_collisions() -> None:
    at = _app(PAGES[2])
    spec = _chart(at)
    diamonds = [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "diamond"]
    assert sum(len(t["x"]) for t in diamonds) == len(load_plan().milestones)
    assert "Uge 42: Workshop for ledere og administrative for 3 enheder" in _text(at)


def test_the_chart_toolbar_saves_a_named_png_and_has_no_zoom_tools() -> None:
    at = _app(PAGES[0])
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "mfr-tidsplan-overblik", "scale": 2}
    assert config["displaylogo"] is False
    assert {"zoom2d", "pan2d"} <= set(config["modeBarButtonsToRemove"])


@pytest.fixture
def empty_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new plan: the sample plan's folder with no units in any wave and no tasks (issue 10)."""
    folder = tmp_path / "ny-plan"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    for name in ("assignments", "tasks", "dependencies"):
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    monkeypatch.setenv("PLANNER_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (PAGES[0], "Planen har ingen aktiviteter endnu."),
        (PAGES[1], "Børn & Familie har ingen aktiviteter i planen endnu."),
        (PAGES[2], "Ingen enheder er lagt i bølgerne endnu, så diagrammet viser kun milepælene."),
    ],
)
def test_a_new_empty_plan_gets_a_danish_message_on_every_page(empty_plan: Path, page: str, message: str) -> None:
    at = _app(page)
    assert message in _text(at)
    assert not at.error


def test_many_problems_become_a_sortable_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_plan(large_plan(load_plan(DEFAULT_DATA_DIR), units=100), tmp_path / "stor")
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "stor"))
    at = _app(PAGES[0])
    table = at.dataframe[0].value
    assert len(table) > 30
    assert list(table.columns) == ["Alvor", "Uge", "Enhed", "Problem", "Forslag"]


def test_names_in_the_problem_list_are_shown_not_read_as_markdown(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = pd.read_csv(plan_dir / "units.csv", dtype=str, keep_default_na=False)
    units.loc[units["unit_id"] == "miljo-teknik", "name"] = "[klik](https://example.com) **fed**"
    units.to_csv(plan_dir / "units.csv", index=False)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(plan_dir))
    at = _app(PAGES[0])
    markdown = " ".join(str(m.value) for m in at.markdown)
    assert "\\[klik\\]\\(https\\:" in markdown and "\\*\\*fed\\*\\*" in markdown
    assert "[klik](https://example.com)" not in markdown


def test_only_late_or_moved_shows_just_the_overdue_with_their_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    at = _app(PAGES[0])
    everything = bars(_chart(at))
    everything = everything[everything["hover"] != ""]  # activities, not the red problem frames
    assert "Status pr. 15.04.2026: 16 forsinkede" in _text(at)
    at.checkbox(key="ov_late").check().run()
    late = bars(_chart(at))
    assert 0 < len(late) < len(everything)
    activity_bars = late[late["hover"] != ""]
    # Every bar left is overdue (none moved in the sample plan), and its hover says so.
    assert activity_bars["hover"].str.contains("forsinket (slut uge", regex=False).all()
    assert not everything[~everything["hover"].str.contains("forsinket")].empty
    assert f"{len(activity_bars)} af {len(everything)} aktiviteter vist" in _text(at)


def test_only_late_or_moved_says_so_when_nothing_is_late() -> None:
    at = _app(PAGES[0])  # 11.03.2026: early in wave 1
    at.checkbox(key="ov_late").check().run()
    at.button(key="ov_zoom_next8").click().run()
    if at.get("plotly_chart"):
        assert bars(_chart(at))["hover"].str.contains("forsinket").all()
    else:
        assert "Ingen forsinkede eller flyttede aktiviteter" in _text(at)


def test_a_departments_chart_shows_done_and_overdue_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    at = _app(PAGES[1], afdeling="born-og-familie")
    names = {t.get("name") for t in _chart(at)["data"]}
    assert {"Lys med ✓: gennemført", "Rødt kryds: forsinket"} <= names


def test_the_suggestions_on_the_overview_never_name_a_week_already_past(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    at = _app(PAGES[0])
    at.toggle(key="ov_hide_past").set_value(False).run()
    suggested = [f["Forslag"] for f in _findings(at) if f["Forslag"]]
    assert suggested
    days = [dt.datetime.strptime(d, "%d.%m.%Y").date() for s in suggested for d in re.findall(r"\d\d\.\d\d\.\d{4}", s)]
    assert days and min(days) >= dt.date(2026, 4, 13)  # the Monday of uge 16


def test_a_department_is_done_only_when_its_activities_are_marked_done(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-06-01")
    at = _app(PAGES[1], afdeling="born-og-familie")
    [late] = [_plain(str(w.value)) for w in at.warning]
    assert late.startswith("2 aktiviteter skulle være afsluttet, men er ikke meldt gennemført:")
    assert "- Børn & Familie: Workshop for ledere og administrative (slut uge 11)" in late
    assert not any("afsluttet" in str(s.value) for s in at.success)

    plan = load_plan(DEFAULT_DATA_DIR)
    keys = SAMPLE.loc[SAMPLE["department_id"] == "born-familie", "activity_key"]
    done = pd.DataFrame({"activity_key": keys, "status": "gennemført", "note": "", "source": "test"})
    rest = plan.status[~plan.status["activity_key"].isin(keys)]
    save_plan(plan.with_tables(status=pd.concat([rest, done], ignore_index=True)), tmp_path / "plan")
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "plan"))
    monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / "state-done"))  # a new database, filled from it
    at = _app(PAGES[1], afdeling="born-og-familie")
    assert not any("ikke meldt gennemført" in str(w.value) for w in at.warning), [w.value for w in at.warning]
    assert "Udrulningen er afsluttet: den sidste aktivitet, Økonomiopfølgning i MFR, sluttede 29.03.2026." in [
        str(s.value) for s in at.success
    ]


def test_while_something_is_overdue_the_departments_chart_reaches_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", "2026-04-15")
    at = _app(PAGES[1], afdeling="born-og-familie")
    start, end = _chart(at)["layout"]["xaxis"]["range"]
    assert SAMPLE.loc[SAMPLE["department"] == "Børn & Familie", "end_date"].max() < pd.Timestamp("2026-04-15")
    assert pd.Timestamp(start) < pd.Timestamp("2026-04-15") < pd.Timestamp(end)
