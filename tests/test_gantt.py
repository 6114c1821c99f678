import datetime as dt
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from figure_reading import bars, hover_text, plain, row_names

from planner import Plan, check, load_plan, schedule, wave_calendar
from planner.calendar import poor_weeks
from planner.gantt import CUTOFF_LEGEND, GROUPINGS, HOLIDAY_LEGEND, PROBLEM_LEGEND, build_gantt
from planner.synthetic import large_plan


def _figure(plan: Plan, **kwargs: object) -> go.Figure:
    sched = schedule(plan)
    return build_gantt(
        sched,
        template="plotly_white",
        milestones=plan.milestones,
        poor_weeks=poor_weeks(plan.school_holidays, [2025, 2026, 2027]),
        findings=check(plan, sched),
        cutoffs=wave_calendar(plan),
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_plan_reaching_week_53_labels_it_on_the_axis(plan_dir: Path) -> None:
    waves = pd.read_csv(plan_dir / "waves.csv", dtype=str, keep_default_na=False)
    waves.loc[waves["wave"] == "3", "follow_up_month"] = "2027-01"
    waves.to_csv(plan_dir / "waves.csv", index=False)
    plan = load_plan(plan_dir)
    fig = _figure(plan, x_range=(dt.date(2026, 11, 30), dt.date(2027, 1, 25)))
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext, strict=True))
    assert ticks["2026-12-21"] == "uge 52"
    assert ticks["2026-12-28"] == "uge 53"
    assert ticks["2027-01-04"] == "uge 1<br>2027"
    found = bars(fig)
    orientation = found[(found["activity"] == "Orienteringsmøde for ledere") & found["y"].str.endswith("› Ejendomme")]
    assert orientation["base"].iloc[0] == pd.Timestamp("2026-12-28")


def test_a_bar_for_week_11_spans_monday_to_the_next_monday(sample_plan: Plan) -> None:
    found = bars(_figure(sample_plan))
    workshop = found[
        (found["activity"] == "Workshop for ledere og administrative") & found["y"].str.endswith("Børn & Familie")
    ]
    assert len(workshop) == 1
    assert workshop.iloc[0]["base"] == pd.Timestamp("2026-03-09 00:00")
    assert workshop.iloc[0]["end"] == pd.Timestamp("2026-03-16 00:00")


def test_a_bars_hover_says_what_where_when_who_and_its_real_source(sample_plan: Plan) -> None:
    found = bars(_figure(sample_plan))
    hover = found[
        (found["activity"] == "Orienteringsmøde for ledere") & (found["y"] == "Børn & Familie › Børn & Familie")
    ]
    lines = hover["hover"].iloc[0].split("\n")
    assert lines[0] == "Orienteringsmøde for ledere"
    assert lines[1] == "Børn & Familie · Bølge 1 (marts 2026)"
    assert lines[2] == "uge 9 · 23.02.–01.03.2026"
    assert lines[3] == "½ time · Økonomikonsulent, ledere, afdelingschef"
    # The source line shows the source, not the participants (the bug this replaces).
    assert lines[-1] == "Kilde: Chefforum 17-12-2025, pkt. 3 (uge 9 eller 10, ½ time)"
    assert "⚠" not in hover["hover"].iloc[0]
    across = found[
        (found["activity"] == "Indkaldelse af ledere til workshop") & found["y"].str.endswith("Børn & Familie")
    ]
    assert "uge 5–6 · 26.01.–08.02.2026" in across["hover"].iloc[0]


def test_a_flagged_bar_is_outlined_and_its_hover_says_the_problem_and_the_suggestion(sample_plan: Plan) -> None:
    fig = _figure(sample_plan)
    outline = next(t for t in fig.data if t.name == PROBLEM_LEGEND)
    assert outline.marker.line.color == "#D62728"
    flagged = bars(fig, trace_name=PROBLEM_LEGEND)
    assert set(flagged["base"]) == {pd.Timestamp("2026-10-12"), pd.Timestamp("2026-05-11")}
    assert len(flagged) == 6
    found = bars(fig)
    october = found[(found["base"] == pd.Timestamp("2026-10-12")) & (found["trace"] != PROBLEM_LEGEND)]
    assert len(october) == 3
    findings = check(sample_plan, schedule(sample_plan))
    advice = findings.set_index("unit")["suggestion"]
    for hover in october["hover"]:
        unit = hover.split("\n")[1].split(" · ")[0]  # the line under the title: unit · wave
        text = hover.replace("\n", " ")  # long lines are wrapped to fit a phone
        assert "⚠ Workshop for ledere og administrative i uge 42 (12.10.2026) ligger i en uge med" in text
        assert "efterårsferie" in text
        # The suggestion the checks give, wrapped like the rest: compared without the line breaks.
        assert "".join(f"Forslag: {advice[unit]}".split()) in "".join(text.split())
        assert "Kilde: " in text and "Chefforum17-12-2025" in "".join(text.split("Kilde: ")[-1].split())


def test_a_milestones_hover_gives_title_forum_day_week_kind_and_source(sample_plan: Plan) -> None:
    fig = _figure(sample_plan)
    diamonds = [t for t in fig.data if t.type == "scatter" and t.marker.symbol == "diamond"]
    assert sum(len(t.x) for t in diamonds) == len(sample_plan.milestones)
    political = next(t for t in diamonds if t.name == "Milepæl: politisk")
    i = list(political.x).index("2025-12-02")
    assert hover_text(political, i).split("\n") == [
        "Politisk tidsplan for Budget 2027 i ØU",
        "ØU · tirsdag 02.12.2025 (uge 49)",
        "Politisk milepæl",
        "Kilde: Chefforum 17-12-2025, pkt. 4",
    ]
    names = row_names(fig.layout.yaxis)
    assert {"Milepæle › ØU", "Milepæle › KB", "Milepæle › Chefforum"} <= {names[y] for t in diamonds for y in t.y}


def test_a_milestone_on_the_first_day_is_drawn_whole(sample_plan: Plan) -> None:
    first, last = _figure(sample_plan).layout.xaxis.range
    # The ØU diamond of 02.12.2025 needs room on both sides, or half of it is cut at the edge.
    assert pd.Timestamp(first) <= pd.Timestamp("2025-11-29")
    assert pd.Timestamp(last) >= pd.Timestamp("2026-10-18")


def test_each_waves_data_cutoff_is_marked_on_its_follow_up_rows(sample_plan: Plan) -> None:
    fig = _figure(sample_plan)
    marker = next(t for t in fig.data if t.name == CUTOFF_LEGEND)
    names = row_names(fig.layout.yaxis)
    points = {(x, names[y]) for x, y in zip(marker.x, marker.y, strict=True)}
    assert ("2026-02-28", "Børn & Familie › Børn & Familie") in points
    assert ("2026-04-30", "Kultur, Fritid & Ejendomme › Kultur & Fritid") in points
    assert ("2026-09-30", "Miljø & Teknik › Miljø & Teknik") in points
    assert not any(name.startswith("Fælles") for _, name in points)
    i = list(marker.x).index("2026-02-28")
    assert hover_text(marker, i).replace("\n", " ") == (
        "Skæringsdato for data: 28.02.2026 Bølge 1 (marts 2026): økonomiopfølgningen bygger på data pr. 28.02.2026"
    )


def test_the_legend_explains_colours_outlines_shading_and_marks(sample_plan: Plan) -> None:
    fig = _figure(sample_plan, today=dt.date(2026, 3, 11))
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    assert {"Bølge 1 (marts 2026)", "Bølge 2 (maj 2026)", "Bølge 3 (oktober 2026)", "Uden bølge"} <= legend
    assert {PROBLEM_LEGEND, HOLIDAY_LEGEND, CUTOFF_LEGEND, "Milepæl: politisk", "Milepæl: lovkrav"} <= legend


def test_holiday_weeks_are_shaded_and_today_is_drawn(sample_plan: Plan) -> None:
    fig = _figure(sample_plan, today=dt.date(2026, 3, 11))
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert any(s.x0 == "2026-10-12" and s.x1 == "2026-10-19" for s in rects)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [s.x0 for s in lines] == ["2026-03-11"]
    assert [a.text for a in fig.layout.annotations] == ["i dag"]


def test_a_zoomed_chart_shows_only_what_is_in_view(sample_plan: Plan) -> None:
    fig = _figure(sample_plan, x_range=(dt.date(2026, 9, 28), dt.date(2026, 11, 2)), today=dt.date(2026, 3, 11))
    assert not [s for s in fig.layout.shapes if s.type == "line"]  # today is outside the view
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [s.x0 for s in rects] == ["2026-10-12"]
    names = set(row_names(fig.layout.yaxis).values())
    assert "Milepæle › KB" in names and "Milepæle › ØU" not in names
    assert fig.layout.xaxis2.ticktext[0] == "oktober<br>2026"  # the first month in view says the year


def test_the_chart_cannot_be_dragged_out_of_step_with_the_period_field(sample_plan: Plan) -> None:
    layout = _figure(sample_plan).layout
    assert layout.dragmode is False
    assert layout.xaxis.fixedrange and layout.xaxis2.fixedrange and layout.yaxis.fixedrange


def test_the_number_of_traces_does_not_grow_with_the_activities(sample_plan: Plan) -> None:
    small = _figure(sample_plan)
    big_plan = large_plan(sample_plan, units=600)
    big = _figure(big_plan)
    assert sum(len(t.y) for t in big.data if t.type == "bar") > 10 * sum(
        len(t.y) for t in small.data if t.type == "bar"
    )
    assert len(big.data) == len(small.data)


def test_grouping_options_are_capitalised() -> None:
    assert list(GROUPINGS.values()) == ["Afdeling", "Bølge", "Aktivitetstype"]


@pytest.mark.parametrize(("group_by", "header"), [("wave", "Bølge 3 (oktober 2026)"), ("kind", "Workshop")])
def test_rows_can_be_grouped_by_wave_or_kind(sample_plan: Plan, group_by: str, header: str) -> None:
    fig = _figure(sample_plan, group_by=group_by)
    assert f"<b>{header}</b>" in fig.layout.yaxis.ticktext


def test_a_unit_named_like_its_department_is_one_row_and_long_units_drop_the_department(sample_plan: Plan) -> None:
    names = list(row_names(_figure(sample_plan).layout.yaxis).values())
    assert names.count("Børn & Familie › Børn & Familie") == 1
    assert "Ældre, Sundhed & Social › ekskl. enheder med vagtplaner" in names
    assert "Ældre, Sundhed & Social › enheder med vagtplaner" in names


def test_one_row_per_activity_names_every_activity(sample_plan: Plan) -> None:
    sched = schedule(sample_plan)
    mine = sched[sched["department_id"] == "born-familie"]
    fig = build_gantt(mine, template="plotly_white", rows="activity")
    found = bars(fig)
    assert found.groupby("y").size().max() == 1
    assert set(found["y"]) == {f"Børn & Familie › {a}" for a in mine["activity"]}


def test_user_text_is_escaped_not_rendered(sample_plan: Plan) -> None:
    units = sample_plan.units.copy()
    units.loc[0, "name"] = '<img src=x onerror="alert(1)">'
    plan = sample_plan.with_tables(units=units)
    fig = _figure(plan)
    labels = " ".join(fig.layout.yaxis.ticktext)
    hovers = " ".join(str(c[1]) for t in fig.data if t.type == "bar" and t.customdata is not None for c in t.customdata)
    assert "<img" not in labels and "<img" not in hovers
    assert "&lt;img src=x" in labels


def test_a_phone_chart_has_short_labels_and_few_ticks(sample_plan: Plan) -> None:
    fig = _figure(sample_plan, compact=True)
    lines = [line for text in fig.layout.yaxis.ticktext for line in plain(text).split("\n")]
    assert max(len(line) for line in lines) <= 17
    assert len(fig.layout.xaxis.tickvals) <= 4
    assert 4 <= len(fig.layout.xaxis2.ticktext) <= 6


def test_phone_labels_cut_to_the_same_words_show_their_different_ends(sample_plan: Plan) -> None:
    fig = _figure(sample_plan, compact=True)
    labels = [plain(text) for text in fig.layout.yaxis.ticktext]
    status = [label for label in labels if label.startswith("Status på")]
    assert len(status) == 2 and len(set(status)) == 2, status  # the shared tasks after waves 2 and 3
    assert {s.split("…")[-1] for s in status} == {"efter bølge 2", "efter bølge 3"}


def test_a_very_large_plan_collapses_to_one_row_per_department(sample_plan: Plan) -> None:
    big = large_plan(sample_plan, units=400)
    fig = _figure(big, max_rows=300)
    names = set(bars(fig)["y"])
    assert "Afdeling 0 › alle 20 enheder" in names
    assert len(names) < 40
    assert len(set(bars(_figure(big, max_rows=None))["y"])) > 400
