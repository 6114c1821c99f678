"""Benchmark: schedule + check a large plan at 1x, 4x and 16x, against bare pandas date arithmetic.

Run: `.venv/bin/python bench/bench_schedule.py`. Prints rows/s for both and the ratio ours/bare.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import Plan, check, load_plan, schedule
from planner.synthetic import large_plan


def bare_dates(plan: Plan) -> pd.DataFrame:
    """The same start and end dates with nothing else: the floor of what scheduling can cost."""
    waves = plan.waves[["wave", "follow_up_month"]]
    first = pd.to_datetime(waves["follow_up_month"] + "-01")
    anchors = waves.assign(anchor=first - pd.to_timedelta(first.dt.day_of_week, unit="D"))
    rows = plan.assignments.merge(anchors, on="wave").merge(plan.template, how="cross")
    start = rows["anchor"] + pd.to_timedelta(rows["offset_weeks"].astype("int64") * 7, unit="D")
    end = start + pd.to_timedelta(rows["length_weeks"].astype("int64") * 7 - 1, unit="D")
    return pd.DataFrame({"start": start, "end": end})


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    base = load_plan()
    print(
        f"{'size':>5} {'units':>7} {'rows':>8} {'ours s':>8} {'rows/s':>10} "
        f"{'bare s':>8} {'bare rows/s':>12} {'ratio':>6}"
    )
    per_row = []
    for factor in (1, 4, 16):
        plan = large_plan(base, units=2000 * factor, activities=10)

        def ours(plan: Plan = plan) -> pd.DataFrame:
            sched = schedule(plan)
            check(plan, sched)
            return sched

        t_ours, sched = best_of(3, ours)
        t_bare, _ = best_of(3, lambda plan=plan: bare_dates(plan))
        rows = len(sched)  # type: ignore[arg-type]
        per_row.append(t_ours / rows)
        print(
            f"{factor:>4}x {2000 * factor:>7} {rows:>8} {t_ours:>8.3f} {rows / t_ours:>10,.0f} "
            f"{t_bare:>8.3f} {rows / t_bare:>12,.0f} {t_ours / t_bare:>6.1f}"
        )
    print(f"cost per row at 16x / at 1x: {per_row[-1] / per_row[0]:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
