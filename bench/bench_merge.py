"""Benchmark: a save that merges with another editor's save, against a plain save, on the large plan.

Run: `.venv/bin/python bench/bench_merge.py`. Two editors start from the same revision of the large
synthetic plan (2,000 units, 20,000 activities); each moves 50 different units to another wave.
The second save is merged three ways with the first. Prints the time of that merge-on-save, the time
of a plain save of the same plan on a current base (measured in the same run), their ratio (target
<= 3) and where the merge's time goes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import Plan, load_plan, schedule
from planner.merge import text_tables
from planner.model import build_plan
from planner.store import Store
from planner.synthetic import large_plan

EDITS = 50
ROUNDS = 7


def best_of(n: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def moved(plan: Plan, units: list[str]) -> Plan:
    """Return `plan` with each of `units` moved to the next wave: one real edit per unit."""
    waves = plan.assignments.set_index("unit_id")["wave"]
    assignments = plan.assignments.copy()
    for unit in units:
        assignments.loc[assignments["unit_id"] == unit, "wave"] = int(waves[unit]) % 3 + 1
    return plan.with_tables(assignments=assignments)


def main() -> None:
    base_plan = large_plan(load_plan(), units=2000, activities=10)
    units = base_plan.units["unit_id"].tolist()
    theirs = moved(base_plan, units[:EDITS])
    mine = moved(base_plan, units[1000 : 1000 + EDITS])
    print(f"plan: {len(base_plan.units)} units, {len(schedule(base_plan))} activities; {EDITS} edits on each side")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'planner.db'}")
        base = store.ensure_seeded(base_plan)
        store.save(theirs, base=base, editor="tine", comment="50 enheder flyttet")

        def merge_save() -> None:
            # Always based on revision 1 while newer revisions exist: every round merges.
            saved = store.commit(mine, base=base, editor="marie", comment="50 andre enheder flyttet")
            assert saved.merged_with, "the save should have merged"

        def plain_save() -> None:
            store.save(mine, base=store.latest(), editor="marie", comment="samme plan, nyeste grundlag")

        merged = store.commit(mine, base=base, editor="marie", comment="første fletning").plan
        tables = text_tables(merged)

        # As the store validates a merge: only the table both sides changed (assignments) is parsed
        # again; the others come whole from the saved plan, and every table is checked across tables.
        trusted = {name: frame for name, frame in mine.tables().items() if name != "assignments"}

        def validate() -> None:
            build_plan(tables, settings=merged.settings, trusted=trusted)

        t_merge = t_plain = t_valid = float("inf")
        for _ in range(ROUNDS):  # interleaved, so all three see the same machine load
            t_merge = min(t_merge, best_of(1, merge_save))
            t_plain = min(t_plain, best_of(1, plain_save))
            t_valid = min(t_valid, best_of(1, validate))
        both = merged.assignments.set_index("unit_id")["wave"]
        expected = theirs.assignments.set_index("unit_id")["wave"].copy()
        expected.update(mine.assignments.set_index("unit_id")["wave"].loc[units[1000 : 1000 + EDITS]])
        assert (both.sort_index() == expected.sort_index()).all(), "the merge lost an edit"

        store.close()

    print(f"plain save           : {t_plain:.3f} s")
    print(f"merge-on-save        : {t_merge:.3f} s")
    print(f"ratio merge/plain    : {t_merge / t_plain:.2f} (target <= 3)")
    print(f"  of which validating: {t_valid:.3f} s (the merged plan is never stored unchecked)")
    print(f"  merge without it   : {(t_merge - t_valid) / t_plain:.2f} x plain save")


if __name__ == "__main__":
    main()
