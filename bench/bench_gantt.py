"""Benchmark: our Gantt against px.timeline on the same rows, and how long Chromium takes to draw it.

Run: `.venv/bin/python bench/bench_gantt.py [--no-browser]`. Prints build + to_json seconds for both
(ours with one row per unit, as px draws it), the ratio ours/px, the JSON sizes and their ratio; then
Chromium's draw time for 1,000 and 10,000 activities, per unit and collapsed as the app shows it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import plotly.express as px

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import load_plan
from planner.gantt import build_gantt
from planner.synthetic import large_plan
from planner.views import analyse

SIZES = (1_000, 10_000, 60_000)


def frames() -> dict[int, tuple[pd.DataFrame, object]]:
    base = load_plan()
    out = {}
    for size in SIZES:
        analysis = analyse(large_plan(base, units=max(1, size // 10), activities=10))
        out[size] = (analysis.schedule.head(size), analysis)
    return out


def ours(sched: pd.DataFrame, analysis, max_rows: int | None = None) -> str:  # type: ignore[no-untyped-def]
    fig = build_gantt(
        sched,
        template="plotly_white",
        milestones=analysis.plan.milestones,
        poor_weeks=analysis.poor_weeks,
        findings=analysis.findings,
        today=dt.date(2026, 3, 11),
        max_rows=max_rows,
    )
    return str(fig.to_json())


def theirs(sched: pd.DataFrame) -> str:
    frame = sched.assign(end=sched["end_date"] + pd.Timedelta(days=1))
    fig = px.timeline(
        frame,
        x_start="start_date",
        x_end="end",
        y="unit",
        color="wave_name",
        hover_data=["activity", "start_week", "end_week", "hours", "participants", "source"],
        template="plotly_white",
    )
    return str(fig.to_json())


def timed(fn) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    best, out = float("inf"), ""
    for _ in range(3):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def draw_time(json_text: str) -> float:
    from playwright.sync_api import sync_playwright

    html = (
        "<html><head><meta charset='utf-8'></head><body><div id='g'></div><script>"
        + Path(px.__file__).parent.parent.joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")
        + "</script><script>const f = "
        + json_text
        + "; const t0 = performance.now(); Plotly.newPlot('g', f.data, f.layout).then(() => {"
        + "window.drawMs = performance.now() - t0; });</script></body></html>"
    )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "g.html"
        path.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(path.as_uri())
        page.wait_for_function("window.drawMs !== undefined", timeout=300_000)
        ms = float(page.evaluate("window.drawMs"))
        browser.close()
    return ms / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    data = frames()
    print(f"{'rows':>7} {'ours s':>8} {'px s':>8} {'ratio':>6} {'ours KB':>9} {'px KB':>9} {'size ratio':>10}")
    jsons = {}
    for size, (sched, analysis) in data.items():
        t_ours, j_ours = timed(lambda s=sched, a=analysis: ours(s, a))
        t_px, j_px = timed(lambda s=sched: theirs(s))
        jsons[size] = j_ours
        print(
            f"{size:>7} {t_ours:>8.3f} {t_px:>8.3f} {t_ours / t_px:>6.2f} "
            f"{len(j_ours) / 1024:>9.0f} {len(j_px) / 1024:>9.0f} {len(j_ours) / len(j_px):>10.2f}"
        )
    if not args.no_browser:
        for size in (1_000, 10_000):
            sched, analysis = data[size]
            collapsed = ours(sched, analysis, max_rows=300)
            print(
                f"chromium draws {size:>6} activities in {draw_time(jsons[size]):.2f} s one row per unit, "
                f"{draw_time(collapsed):.2f} s as the app shows it (units collapsed above 300 rows)"
            )


if __name__ == "__main__":
    main()
