import datetime as dt
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import row_names

from planner import Plan, check, load_plan, schedule
from planner.calendar import poor_weeks
from planner.gantt import build_gantt
from planner.synthetic import large_plan

DAY_MS = 86_400_000


def _figure(plan: Plan, **kwargs: object) -> go.Figure:
    sched = schedule(plan)
    return build_gantt(
        sched,
        template="plotly_white",
        milestones=plan.milestones,
        poor_weeks=poor_weeks(plan.school_holidays, [2025, 2026, 2027]),
        findings=check(plan, sched),
        **kwargs,  # type: ignore[arg-type]
    )


def _bars(fig: go.Figure, *, trace_name: str | None = None) -> pd.DataFrame:
    names = row_names(fig.layout.yaxis.to_plotly_json())
    rows = []
    for trace in fig.data:
        if trace.type != "bar" or (trace_name and trace.name != trace_name):
            continue
        for i, y in enumerate(trace.y):
            rows.append(
                {
                    "trace": trace.name,
                    "y": names[y],
                    "base": pd.Timestamp(trace.base[i]),
                    "end": pd.Timestamp(trace.base[i]) + pd.Timedelta(milliseconds=int(trace.x[i])),
                    "activity": trace.customdata[i][0] if trace.customdata is not None else "",
                    "warning": trace.customdata[i][6] if trace.customdata is not None else "",
                }
            )
    return pd.DataFrame(rows)


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
    bars = _bars(fig)
    orientation = bars[(bars["activity"] == "Orienteringsmøde for ledere") & bars["y"].str.endswith("› Ejendomme")]
    assert orientation["base"].iloc[0] == pd.Timestamp("2026-12-28")


def test_a_bar_for_week_11_spans_monday_to_the_next_monday(sample_plan: Plan) -> None:
    bars = _bars(_figure(sample_plan))
    workshop = bars[
        (bars["activity"] == "Workshop for ledere og administrative") & bars["y"].str.endswith("Børn & Familie")
    ]
    assert len(workshop) == 1
    assert workshop.iloc[0]["base"] == pd.Timestamp("2026-03-09 00:00")
    assert workshop.iloc[0]["end"] == pd.Timestamp("2026-03-16 00:00")


def test_milestones_are_diamonds_on_their_own_rows(sample_plan: Plan) -> None:
    fig = _figure(sample_plan)
    diamonds = [t for t in fig.data if t.type == "scatter" and t.marker.symbol == "diamond"]
    assert sum(len(t.x) for t in diamonds) == len(sample_plan.milestones)
    names = row_names(fig.layout.yaxis.to_plotly_json())
    rows = {names[y] for t in diamonds for y in t.y}
    assert {"Milepæle › ØU", "Milepæle › KB", "Milepæle › Chefforum"} <= rows
    assert "<b>Milepæle</b>" in fig.layout.yaxis.ticktext


def test_findings_outline_the_october_workshops_in_red(sample_plan: Plan) -> None:
    fig = _figure(sample_plan)
    outline = next(t for t in fig.data if t.name == "Problem (se listen)")
    assert outline.marker.line.color == "#D62728"
    flagged = _bars(fig, trace_name="Problem (se listen)")
    assert set(flagged["base"]) == {pd.Timestamp("2026-10-12"), pd.Timestamp("2026-05-11")}
    assert len(flagged) == 6
    bars = _bars(fig)
    october = bars[(bars["base"] == pd.Timestamp("2026-10-12")) & (bars["trace"] != "Problem (se listen)")]
    assert october["warning"].str.contains("efterårsferie").all()


def test_holiday_weeks_are_shaded_and_today_is_drawn(sample_plan: Plan) -> None:
    fig = _figure(sample_plan, today=dt.date(2026, 3, 11))
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert any(s.x0 == "2026-10-12" and s.x1 == "2026-10-19" for s in rects)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [s.x0 for s in lines] == ["2026-03-11"]


def test_the_number_of_traces_does_not_grow_with_the_activities(sample_plan: Plan) -> None:
    small = _figure(sample_plan)
    big_plan = large_plan(sample_plan, units=600)
    big = _figure(big_plan)
    assert sum(len(t.y) for t in big.data if t.type == "bar") > 10 * sum(
        len(t.y) for t in small.data if t.type == "bar"
    )
    assert len(big.data) == len(small.data)


@pytest.mark.parametrize(("group_by", "header"), [("wave", "Bølge 3 (oktober 2026)"), ("kind", "Workshop")])
def test_rows_can_be_grouped_by_wave_or_kind(sample_plan: Plan, group_by: str, header: str) -> None:
    fig = _figure(sample_plan, group_by=group_by)
    assert f"<b>{header}</b>" in fig.layout.yaxis.ticktext


def test_user_text_is_escaped_not_rendered(sample_plan: Plan) -> None:
    units = sample_plan.units.copy()
    units.loc[0, "name"] = '<img src=x onerror="alert(1)">'
    plan = sample_plan.with_tables(units=units)
    fig = _figure(plan)
    labels = " ".join(fig.layout.yaxis.ticktext)
    hovers = " ".join(str(c[1]) for t in fig.data if t.type == "bar" and t.customdata is not None for c in t.customdata)
    assert "<img" not in labels and "<img" not in hovers
    assert "&lt;img src=x" in labels


def test_hover_says_weeks_dates_duration_and_source_in_danish(sample_plan: Plan) -> None:
    fig = _figure(sample_plan)
    custom = [list(c) for t in fig.data if t.type == "bar" and t.customdata is not None for c in t.customdata]
    orientation = next(c for c in custom if c[0] == "Orienteringsmøde for ledere" and c[1] == "Børn & Familie")
    assert orientation[2] == "uge 9"
    assert orientation[3] == "23.02.-01.03.2026"
    assert orientation[4].startswith("½ time")
    assert "Chefforum 17-12-2025" in orientation[5]
    across = next(c for c in custom if c[0] == "Indkaldelse af ledere til workshop" and c[1] == "Børn & Familie")
    assert across[2] == "uge 5–6"


def test_a_very_large_plan_collapses_to_one_row_per_department(sample_plan: Plan) -> None:
    big = large_plan(sample_plan, units=400)
    fig = _figure(big, max_rows=300)
    names = set(_bars(fig)["y"])
    assert "Afdeling 0 › alle 20 enheder" in names
    assert len(names) < 40
    assert len(set(_bars(_figure(big, max_rows=None))["y"])) > 400
