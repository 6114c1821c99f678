"""Benchmark: 100 revisions of the large plan in SQLite; load and save times against reading CSV files.

Run: `.venv/bin/python bench/bench_store.py`. Prints the time to load the newest revision and to save
a new one, the time to load the same plan from CSV files (`load_plan`), the ratio, and the database
size per revision.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import load_plan, save_plan, schedule
from planner.edits import move_unit
from planner.store import Store
from planner.synthetic import large_plan

REVISIONS = 100


def best_of(n: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    plan = large_plan(load_plan(), units=2000, activities=10)
    print(f"plan: {len(plan.units)} units, {len(schedule(plan))} activities")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "csv"
        save_plan(plan, folder)
        db = Path(tmp) / "planner.db"
        store = Store(f"sqlite:///{db}")
        t0 = time.perf_counter()
        base = store.ensure_seeded(plan)
        units = plan.units["unit_id"].tolist()
        for i in range(REVISIONS - 1):
            # Each revision moves one unit to another wave: real, different content every time.
            plan = move_unit(plan, units[i], (i % 3) + 1)
            base = store.save(plan, base=base, editor="bench", comment=f"revision {i + 2}")
        fill = time.perf_counter() - t0
        store.engine.dispose()
        size = sum(p.stat().st_size for p in Path(tmp).glob("planner.db*"))

        t_csv = best_of(5, lambda: load_plan(folder))
        t_load = best_of(5, lambda: store.load())
        latest = store.latest()
        numbers = iter(range(latest or 0, (latest or 0) + 5))

        def save_one() -> None:
            store.save(plan, base=next(numbers), editor="bench", comment="timing")

        t_save = best_of(5, save_one)
        csv_bytes = sum(p.stat().st_size for p in folder.glob("*.csv"))
        print(f"{REVISIONS} revisions written in {fill:.1f} s")
        print(f"load newest revision : {t_load:.3f} s")
        print(f"load from CSV files  : {t_csv:.3f} s")
        print(f"ratio store/CSV      : {t_load / t_csv:.2f} (target <= 2)")
        print(f"save a new revision  : {t_save:.3f} s")
        print(
            f"database size        : {size / 1024 / 1024:.1f} MB, {size / REVISIONS / 1024:.0f} KB per revision "
            f"(the CSV files: {csv_bytes / 1024:.0f} KB)"
        )
        store.close()


if __name__ == "__main__":
    main()
