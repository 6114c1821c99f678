"""Benchmark: the styled week-plan workbook against DataFrame.to_excel of the same activity rows.

Run: `.venv/bin/python bench/bench_excel.py`. Prints both times, the ratio ours/plain and the peak
memory of each (tracemalloc), for the large plan of 2,000 units (about 20,000 activities).
"""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import load_plan
from planner.excel import ACTIVITY_SHEET_COLUMNS, export_workbook
from planner.synthetic import large_plan
from planner.views import analyse


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    # Time without tracing (tracemalloc slows openpyxl several-fold), then peak memory in a second run.
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    plan = large_plan(load_plan(), units=2000, activities=10)
    analysis = analyse(plan)
    rows = analysis.schedule[[c for _, c, _ in ACTIVITY_SHEET_COLUMNS if c in analysis.schedule]]
    print(f"{len(rows)} activities")

    def plain() -> None:
        rows.to_excel(io.BytesIO(), engine="openpyxl", index=False)

    def ours() -> None:
        export_workbook(plan, analysis=analysis)

    t_plain, m_plain = measure(plain)
    t_ours, m_ours = measure(ours)
    print(f"plain to_excel : {t_plain:6.2f} s, peak {m_plain:7.1f} MB")
    print(f"styled workbook: {t_ours:6.2f} s, peak {m_ours:7.1f} MB")
    print(f"ratio ours/plain: {t_ours / t_plain:.2f} (target <= 2), peak memory {m_ours:.0f} MB (target < 1024)")


if __name__ == "__main__":
    main()
