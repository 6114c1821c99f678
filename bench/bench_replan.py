"""Benchmark: re-planning (CP-SAT) against schedule + check of the same plan, in the same run.

Run: `.venv/bin/python bench/bench_replan.py [--time-limit 30] [--workers 2]`. For the sample plan and the
large plan (2,000 units x 10 activities, 3 waves) it prints the seconds of schedule + check (the baseline),
the seconds to the first feasible proposal and to the end (optimal, or stopped with the gap at the time
limit), the objective, CP-SAT's bound, the moves, and the ratio replan/baseline.

The large plan's consultants are scaled with it: the sample's 8 hours a week for 9 units becomes
8 x 2000 / 9 hours (at 8 hours for 2,000 units no plan exists, and the explanation is timed instead).
"tight" cuts that to 1,200 hours, less than one wave's workshops (1,334 hours) in one week: then
alike units must split over several weeks.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import Plan, Settings, check, load_plan, schedule
from planner.replan import NoProposalError, replan
from planner.synthetic import large_plan


def best_of(n: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def row(name: str, plan: Plan, limit: float, workers: int) -> None:
    baseline = best_of(3, lambda: check(plan, schedule(plan)))
    t0 = time.perf_counter()
    try:
        result = replan(plan, time_limit=limit, workers=workers)
    except NoProposalError as exc:
        total = time.perf_counter() - t0
        what = "no plan (explained)" if exc.infeasible else "no plan in time"
        blank = f"{'':>10} {'':>10} {'':>7} {'':>6}"
        print(f"{name:<16} {baseline:>8.2f} {'-':>8} {total:>8.2f} {what:<10} {blank} {total / baseline:>7.1f}")
        print(f"    {exc.reasons[0]}")
        return
    total = time.perf_counter() - t0
    print(
        f"{name:<16} {baseline:>8.2f} {result.first_solution_seconds:>8.2f} {total:>8.2f} {result.status:<10} "
        f"{result.objective:>10,} {result.bound:>10,} {result.gap:>7.2%} {len(result.moves):>6} "
        f"{total / baseline:>7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base = load_plan()
    large = large_plan(base, units=2000, activities=10)
    scaled = 8 * 2000 / 9
    print(f"CP-SAT workers: {args.workers}, time limit {args.time_limit:g} s")
    print(
        f"{'plan':<16} {'sched+chk':>8} {'first s':>8} {'total s':>8} {'status':<10} {'objective':>10} "
        f"{'bound':>10} {'gap':>7} {'moves':>6} {'ratio':>7}"
    )
    row("sample", base, args.time_limit, args.workers)
    row("sample 1 worker", base, args.time_limit, 1)
    row("large", large.with_settings(Settings(consultant_capacity_hours=scaled)), args.time_limit, args.workers)
    row("large tight", large.with_settings(Settings(consultant_capacity_hours=1200)), args.time_limit, args.workers)
    row("large 8 h", large, args.time_limit, args.workers)


if __name__ == "__main__":
    main()
