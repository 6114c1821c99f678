"""Benchmark: load_plan on large plan folders, valid and refused, against plain pandas.read_csv.

Run: `.venv/bin/python bench/bench_load.py`. For each case the same files are read by
`pandas.read_csv(dtype=str)` (no validation at all: the floor) and by `load_plan` (reading,
validation, and the refusal where there is one), best of three, in the same run; prints both and
the ratio ours/read_csv.

Cases: a large valid plan (20,000 units and 45,000 one-off tasks, ~7 MB); the same with a tasks
file of 49,000 rows that each have a bad week (just under the 50,000-row limit, refused); 45,000
duplicated departments (refused, the duplicate report used to be quadratic); and a 40 MB tasks file
(over the limit, refused without being read).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import PlanError, load_plan, save_plan
from planner.synthetic import large_plan

TASK_LINE = "t{0},Opgave nummer {0} for enheden,meeting,,,{1},2026-W11,1,Økonomikonsulent,Økonomi & Stab,,,eksempel\n"
TASK_HEADER = (
    "task_id,title,kind,unit_id,wave,start_week,end_week,hours,participants,lead,not_before,not_after,source\n"
)


def best_of(n: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def write_tasks(path: Path, rows: int, week: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(TASK_HEADER)
        out.writelines(TASK_LINE.format(i, week) for i in range(rows))


def read_all(folder: Path) -> int:
    """Plain pandas: every CSV file as text, nothing checked. Returns the number of rows."""
    return sum(len(pd.read_csv(path, dtype=str, keep_default_na=False)) for path in sorted(folder.glob("*.csv")))


def ours(folder: Path) -> str:
    try:
        plan = load_plan(folder)
    except PlanError as exc:
        return f"refused ({len(exc.problems)} problems)"
    return f"loaded ({sum(len(t) for t in plan.tables().values()):,} rows)"


def cases(root: Path) -> list[tuple[str, Path]]:
    valid = root / "valid"
    save_plan(large_plan(load_plan(), units=20_000, activities=10), valid)
    write_tasks(valid / "tasks.csv", 45_000, "2026-W10")
    (valid / "dependencies.csv").write_text("dependency_id,predecessor,successor,lag_weeks,source\n", encoding="utf-8")

    bad_weeks = root / "bad-weeks"
    shutil.copytree(valid, bad_weeks)
    write_tasks(bad_weeks / "tasks.csv", 49_000, "2026-W54")

    duplicates = root / "duplicates"
    shutil.copytree(valid, duplicates)
    departments = (duplicates / "departments.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join([departments[0], *[departments[1]] * 45_000]) + "\n"
    (duplicates / "departments.csv").write_text(text, encoding="utf-8")

    huge = root / "40mb"
    shutil.copytree(valid, huge)
    write_tasks(huge / "tasks.csv", 400_000, "2026-W10")
    return [
        ("valid plan", valid),
        ("bad week in 49k rows", bad_weeks),
        ("45k duplicates", duplicates),
        ("40 MB tasks file", huge),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':<22} {'MB':>6} {'rows':>9} {'read_csv s':>11} {'load_plan s':>12} {'ratio':>6}  outcome")
        for name, folder in cases(Path(tmp)):
            megabytes = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1024 / 1024
            rows = read_all(folder)
            t_pandas = best_of(3, lambda folder=folder: read_all(folder))
            t_ours = best_of(3, lambda folder=folder: ours(folder))
            print(
                f"{name:<22} {megabytes:>6.1f} {rows:>9,} {t_pandas:>11.3f} {t_ours:>12.3f} "
                f"{t_ours / t_pandas:>6.2f}  {ours(folder)}"
            )


if __name__ == "__main__":
    main()
