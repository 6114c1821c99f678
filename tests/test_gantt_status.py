"""The Gantt's progress marks on the real sample plan: baseline outline, status fills, their legend and hover."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest
from figure_reading import bars, hover_text

from planner import Plan, schedule
from planner.gantt import BASELINE_LEGEND, MARK_LEGENDS, build_gantt
from planner.progress import progress
from planner.status_marks import late_or_moved

AS_OF = dt.date(2026, 4, 15)  # uge 16: wave 1 lies behind


@pytest.fixture(scope="module")
def moved_plan(sample_plan: Plan) -> Plan:
    """The sample plan with Børn & Familie's workshop postponed from uge 11 (the baseline) to uge 13."""
    override = pd.DataFrame(
        [{"unit_id": "born-familie", "activity_id": "workshop", "start_week": "2026-W13", "source": "udskudt"}]
    )
    return sample_plan.with_tables(overrides=pd.concat([sample_plan.overrides, override], ignore_index=True))


@pytest.fixture(scope="module")
def figure(moved_plan: Plan) -> go.Figure:
    sched = schedule(moved_plan)
    return build_gantt(sched, template="plotly_white", today=AS_OF, progress=progress(moved_plan, sched, AS_OF))


def _bar(found: pd.DataFrame, activity: str, row: str) -> pd.Series:
    hit = found[(found["activity"] == activity) & found["y"].str.endswith(row) & (found["trace"] != BASELINE_LEGEND)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_the_baseline_outline_covers_the_approved_weeks_of_a_moved_activity(figure: go.Figure) -> None:
    outline = bars(figure, trace_name=BASELINE_LEGEND)
    assert len(outline) == 1  # only the moved activity: the rest kept their approved weeks
    approved = outline.iloc[0]
    assert approved["y"] == "Børn & Familie › Børn & Familie"
    assert (approved["base"], approved["end"]) == (pd.Timestamp("2026-03-09"), pd.Timestamp("2026-03-16"))  # uge 11
    trace = next(t for t in figure.data if t.name == BASELINE_LEGEND)
    assert trace.marker["color"] == "rgba(0,0,0,0)" and trace.marker["line"]["width"] <= 2  # a thin outline, no fill
    # The bar itself is in uge 13 on the same row.
    now = _bar(bars(figure), "Workshop for ledere og administrative", "› Børn & Familie")
    assert now["base"] == pd.Timestamp("2026-03-23") and now["y"] == approved["y"]


def test_the_hover_of_a_moved_bar_says_its_status_and_its_slip(figure: go.Figure) -> None:
    lines = _bar(bars(figure), "Workshop for ledere og administrative", "› Børn & Familie")["hover"].split("\n")
    assert "Status: planlagt · forsinket (slut uge 13)" in lines
    assert "Flyttet 2 uger senere end godkendt plan (uge 11)" in lines
    source = next(i for i, line in enumerate(lines) if line.startswith("Kilde:"))
    assert lines.index("Flyttet 2 uger senere end godkendt plan (uge 11)") < source  # the source still ends it
    outline = bars(figure, trace_name=BASELINE_LEGEND).iloc[0]["hover"].split("\n")
    assert outline[1] == "Godkendt plan: uge 11 · 09.03.–15.03.2026"


def test_status_is_drawn_by_pattern_and_explained_in_the_legend(figure: go.Figure) -> None:
    legend = {t.name: t for t in figure.data if t.showlegend is not False and t.name}
    for name in (MARK_LEGENDS["done"], MARK_LEGENDS["overdue"], BASELINE_LEGEND):
        assert name in legend
    assert legend[MARK_LEGENDS["overdue"]].marker["pattern"]["shape"] == "x"
    # Every bar's hover, pattern and inner text, read point by point from the traces.
    points = [
        (hover_text(t, i), (t.marker["pattern"]["shape"] if t.marker["pattern"] else "") or "", t.text[i])
        for t in figure.data
        if t.type == "bar" and t.name.startswith("Bølge") and t.customdata is not None
        for i in range(len(t.y))
    ]
    # A pattern is coloured only as a single value replacing the fill: the cross is red, as the legend says.
    crossed = [
        t.marker["pattern"]
        for t in figure.data
        if t.type == "bar" and t.marker["pattern"] and t.marker["pattern"]["shape"]
    ]
    assert all(p["fillmode"] == "replace" and isinstance(p["fgcolor"], str) for p in crossed)
    assert {p["fgcolor"] for p in crossed if p["shape"] == "x"} == {"#D62728"}
    done = {(shape, text) for hover, shape, text in points if "Status: gennemført" in hover}
    late = {(shape, text) for hover, shape, text in points if "forsinket" in hover}
    active = {(shape, text) for hover, shape, text in points if "Status: i gang" in hover and "forsinket" not in hover}
    assert done == {("", "✓")}  # light, with a check mark
    assert late == {("x", "")}  # cross-hatched
    assert active <= {("/", "")}


def test_without_progress_the_figure_is_as_before(moved_plan: Plan) -> None:
    sched = schedule(moved_plan)
    fig = build_gantt(sched, template="plotly_white")
    names = {t.name for t in fig.data}
    assert BASELINE_LEGEND not in names and not names & set(MARK_LEGENDS.values())
    assert "Status:" not in "".join(bars(fig)["hover"])
    assert all(not t.marker.pattern.shape and not t.text for t in fig.data if t.type == "bar")


def test_late_or_moved_names_the_overdue_and_the_moved(moved_plan: Plan) -> None:
    sched = schedule(moved_plan)
    keys = set(late_or_moved(progress(moved_plan, sched, AS_OF)))
    assert "b1/born-familie/workshop" in keys  # moved and overdue
    assert "b1/born-familie/orientering" not in keys  # done, on its approved week
    assert not any(k.startswith("b3/") for k in keys)  # October's wave is neither late nor moved
