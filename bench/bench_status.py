"""Benchmark: `status` and the Chefforum report for the large plan (2,000 units, 20,000 activities).

Run: `.venv/bin/python bench/bench_status.py`. Prints seconds for `schedule` alone, `status` (schedule +
progress + the CLI's columns) and the report (with and without the Gantt picture), and each against
`schedule` measured in the same run. Targets: status under 1 s, the report under 10 s with the picture.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import Plan, load_plan, schedule
from planner.cli.progress import _status_frame
from planner.progress import progress
from planner.report import build_report, find_browser
from planner.status_edits import baseline_table
from planner.synthetic import large_plan

AS_OF = dt.date(2026, 6, 15)


def followed_plan(base: Plan) -> Plan:
    """The large plan with a baseline (a fifth of it two weeks earlier) and a status on a third of it."""
    plan = large_plan(base, units=2000, activities=10)
    sched = schedule(plan)
    rng = np.random.default_rng(14)
    baseline = baseline_table(sched, source="eksempel (syntetisk)")
    earlier = rng.random(len(baseline)) < 0.2
    mondays = pd.to_datetime(baseline["start_week"] + "-1", format="%G-W%V-%u")
    ends = pd.to_datetime(baseline["end_week"] + "-1", format="%G-W%V-%u")
    shift = pd.Timedelta(weeks=2)
    baseline.loc[earlier, "start_week"] = (mondays[earlier] - shift).dt.strftime("%G-W%V")
    baseline.loc[earlier, "end_week"] = (ends[earlier] - shift).dt.strftime("%G-W%V")
    marked = sched.sample(frac=1 / 3, random_state=14)
    words = ["gennemført", "i gang", "udskudt", "aflyst"]
    status = pd.DataFrame(
        {
            "activity_key": marked["activity_key"].to_numpy(),
            "status": rng.choice(words, size=len(marked), p=[0.7, 0.2, 0.05, 0.05]),
            "note": "",
            "source": "eksempel (syntetisk)",
        }
    )
    return plan.with_tables(baseline=baseline, status=status)


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    plan = followed_plan(load_plan())
    t_schedule, sched = best_of(3, lambda: schedule(plan))
    rows = len(sched)  # type: ignore[arg-type]

    def status() -> pd.DataFrame:
        return _status_frame(progress(plan, schedule(plan), AS_OF))

    t_status, table = best_of(3, status)
    overdue = int((table["overdue"] == "true").sum())  # type: ignore[index]
    browser = find_browser()
    t_plain, _ = best_of(1, lambda: build_report(plan, as_of=AS_OF, browser=Path("/ingen/chromium")))
    t_report, report = best_of(1, lambda: build_report(plan, as_of=AS_OF, browser=browser))
    problem = report.picture_problem  # type: ignore[attr-defined]

    print(f"plan: {rows:,} activities, {len(plan.status):,} status rows, {overdue:,} overdue as of {AS_OF}")
    print(f"{'what':<34} {'s':>7} {'x schedule':>11} {'target':>8}")
    print(f"{'schedule (baseline)':<34} {t_schedule:>7.3f} {1:>11.1f}")
    print(f"{'status (schedule + progress)':<34} {t_status:>7.3f} {t_status / t_schedule:>11.1f} {'< 1 s':>8}")
    print(f"{'report without picture':<34} {t_plain:>7.3f} {t_plain / t_schedule:>11.1f}")
    print(f"{'report with picture':<34} {t_report:>7.3f} {t_report / t_schedule:>11.1f} {'< 10 s':>8}")
    print(f"picture: {'drawn by ' + str(browser) if problem is None else problem}")
    print(f"report size: {len(report.data):,} bytes")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
