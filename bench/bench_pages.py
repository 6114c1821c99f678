"""Benchmark: from navigation to a visible chart in headless Chromium, our pages against a bare page.

Run: `.venv/bin/python bench/bench_pages.py [--runs 5] [--units 2000] [--plans ...] [--cache ...]`.
For the sample plan and the large synthetic plan it starts the app and, beside it, a bare Streamlit
page that shows only `px.timeline` of the same rows (the whole schedule, one department's rows, the
waves). Each page is opened once to warm both servers, then `--runs` times, interleaved, either in a
fresh browser context each time (a first visit: Streamlit's scripts are fetched again) or in one
context per server (a returning user, scripts cached). The median time from `goto` until the chart's
bars are drawn is printed for both, with the ratio ours/bare.
Targets (issue 8): at most 1.15x on the sample plan; Overblik on the large plan under 2x.
"""

from __future__ import annotations

import argparse
import os
import pickle
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner import DEFAULT_DATA_DIR, Plan, load_plan, save_plan  # noqa: E402
from planner.synthetic import large_plan  # noqa: E402
from planner.views import analyse, filter_schedule, slug, wave_summary  # noqa: E402

TODAY = "2026-03-11"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DRAWN = ".js-plotly-plot .barlayer path"

# The baseline: only px.timeline of the rows the matching page of ours shows, read from a pickle.
BARE = """
import pickle, sys
import plotly.express as px
import streamlit as st

@st.cache_data
def rows(name):
    with open(sys.argv[1], "rb") as f:
        return pickle.load(f)[name]

frame = rows(st.query_params.get("rows", "overblik"))
fig = px.timeline(frame, x_start="start_date", x_end="end", y="unit", color="wave_name",
                  hover_data=["activity", "start_week", "end_week", "hours", "participants", "source"])
st.plotly_chart(fig)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(script: Path, env: dict[str, str], *args: str) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--", *args]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"streamlit did not start: {script}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _rows(plan: Plan, department: str) -> dict[str, pd.DataFrame]:
    """Return the rows each of our pages draws, as px.timeline wants them (an exclusive end)."""
    sched = analyse(plan).schedule
    frames = {
        "overblik": sched,
        "min-afdeling": filter_schedule(sched, departments=[department]),
        "budget": wave_summary(sched),
    }
    return {k: v.assign(end=v["end_date"] + pd.Timedelta(days=1)) for k, v in frames.items()}


def _time(browser, url: str, context=None) -> float:  # type: ignore[no-untyped-def]
    """Return the seconds from `goto` until the chart's bars are drawn, in `context` or a fresh one."""
    own = context is None
    context = context or browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(DRAWN, timeout=300_000)
    seconds = time.perf_counter() - t0
    page.close()
    if own:
        context.close()
    return seconds


def measure(plan: Plan, label: str, runs: int, *, cached: bool) -> list[tuple[str, str, float, float]]:
    """Return (plan, page, ours, bare) medians for the three pages of `plan`.

    `cached`: one browser context per server, so Streamlit's scripts come from the browser's cache
    (a returning user); otherwise a fresh context for every view (a first visit).
    """
    from playwright.sync_api import sync_playwright

    department = str(plan.departments["department_id"].iloc[0])
    name = slug(str(plan.departments["name"].iloc[0]))
    pages = {
        "Overblik": ("/", "overblik"),
        "Min afdeling": (f"/min-afdeling?afdeling={name}", "min-afdeling"),
        "Budget 2027": ("/budget-2027", "budget"),
    }
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save_plan(plan, folder / "plan")
        (folder / "rows.pkl").write_bytes(pickle.dumps(_rows(plan, department)))
        (folder / "bare.py").write_text(BARE, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
        ours_env = env | {
            "PLANNER_DATA_DIR": str(folder / "plan"),
            "PLANNER_STATE_DIR": str(folder / "state"),
            "PLANNER_TODAY": TODAY,
        }
        with (
            _server(ROOT / "planner_app.py", ours_env) as ours,
            _server(folder / "bare.py", env, str(folder / "rows.pkl")) as bare,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS, headless=True)
            size = {"viewport": {"width": 1440, "height": 900}}
            ours_ctx = browser.new_context(**size) if cached else None
            bare_ctx = browser.new_context(**size) if cached else None
            for page, (path, rows) in pages.items():
                # Warm both: our first view of a plan computes its schedule and checks once, for everyone.
                cold = _time(browser, ours + path, ours_ctx)
                _time(browser, f"{bare}/?rows={rows}", bare_ctx)
                t_ours, t_bare = [], []
                for _ in range(runs):  # interleaved, so a busy moment hits both
                    t_ours.append(_time(browser, ours + path, ours_ctx))
                    t_bare.append(_time(browser, f"{bare}/?rows={rows}", bare_ctx))
                results.append((label, page, statistics.median(t_ours), statistics.median(t_bare)))
                print(f"  {label:<26} {page:<13} first view {cold:5.2f} s", flush=True)
            browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--plans", choices=["both", "sample", "large"], default="both")
    parser.add_argument("--cache", choices=["both", "cold", "warm"], default="both")
    args = parser.parse_args()
    sample = load_plan(DEFAULT_DATA_DIR)
    plans = []
    if args.plans in ("both", "sample"):
        plans.append((sample, "eksempelplan"))
    if args.plans in ("both", "large"):
        plans.append((large_plan(sample, units=args.units), f"stor ({args.units} enh.)"))
    results = []
    for cached in {"both": (False, True), "cold": (False,), "warm": (True,)}[args.cache]:
        for plan, label in plans:
            label = f"{label}, {'cache' if cached else 'ny'}"
            results += measure(plan, label, args.runs, cached=cached)
    print(f"\n{'plan, browser':<26} {'side':<13} {'vores s':>8} {'bar s':>8} {'forhold':>8}")
    for label, page, ours, bare in results:
        print(f"{label:<26} {page:<13} {ours:>8.2f} {bare:>8.2f} {ours / bare:>8.2f}")
    print("\nmål: højst 1,15 på eksempelplanen; Overblik på den store plan under 2")


if __name__ == "__main__":
    main()
