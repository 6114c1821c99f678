"""Benchmark: the large plan's calendar (.ics) against writing the same rows as CSV, and SEQUENCE over 100 revisions.

Run: `.venv/bin/python bench/bench_calendar.py`. For the plan of 2,000 units it prints the time and size
of the whole plan's calendar and of one department's, the time and size of `DataFrame.to_csv` of the
same schedule rows in the same run, their ratio, and the time to fold 100 revisions' fingerprints
into SEQUENCE numbers (the app does one revision per save; this is a cold start after a restart).
Target: the whole plan's calendar under 2 s.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import load_plan, schedule
from planner.calendar_export import CALENDAR_KINDS, FINANCE_KINDS, calendar_events, export_calendar
from planner.calendar_versions import Version, advance_versions, event_versions
from planner.edits import move_unit
from planner.store import Store
from planner.synthetic import large_plan

REVISIONS = 100
HORIZON = 25  # app_pages.calendar_download.HISTORY_HORIZON


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    plan = large_plan(load_plan(), units=2000, activities=10)
    sched = schedule(plan)
    rows = sched[sched["kind"].isin([*CALENDAR_KINDS, *FINANCE_KINDS])]
    print(f"plan: {len(plan.units)} units, {len(sched)} activities, {len(rows)} of them in the calendar")

    def csv() -> bytes:
        buffer = io.StringIO()
        rows.to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8")

    url = "https://planner.albertslund.dk"
    t_csv, csv_bytes = best_of(3, csv)
    t_ics, ics = best_of(3, lambda: export_calendar(plan, sched, public_url=url))
    department = str(plan.departments["department_id"].iloc[0])
    t_dep, dep = best_of(3, lambda: export_calendar(plan, sched, department=department, public_url=url))
    assert isinstance(ics, bytes) and isinstance(dep, bytes) and isinstance(csv_bytes, bytes)
    events = ics.count(b"BEGIN:VEVENT")
    print(f"CSV of the same rows : {t_csv:6.2f} s, {len(csv_bytes) / 1e6:6.1f} MB")
    print(f"whole plan .ics      : {t_ics:6.2f} s, {len(ics) / 1e6:6.1f} MB, {events} events")
    print(f"one department .ics  : {t_dep:6.2f} s, {len(dep) / 1e3:6.1f} kB, {dep.count(b'BEGIN:VEVENT')} events")
    print(f"ratio ics/csv: time {t_ics / t_csv:.1f}, size {len(ics) / len(csv_bytes):.1f} (target: ics < 2 s)")

    # SEQUENCE: one revision's events (what the app computes once per revision) and the fold of 100.
    t_events, first = best_of(3, lambda: calendar_events(sched, plan.milestones, public_url=url))
    prints = dict(zip(first["key"], first["fingerprint"], strict=True))  # type: ignore[index]
    keys = list(prints)
    history = []
    for n in range(1, REVISIONS + 1):
        # Each revision changes 20 events: different content every time, as the store benchmark does.
        changed = {k: f"{n}" for k in keys[(n * 20) % len(keys) : (n * 20) % len(keys) + 20]}
        prints = prints | changed
        history.append((Version(n, dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n)), prints))
    t_fold, versions = best_of(3, lambda: event_versions(history))
    assert isinstance(versions, dict) and len(versions) == len(keys)
    print(f"one revision's events: {t_events:6.2f} s (once per revision, cached)")
    print(f"fold {REVISIONS} revisions   : {t_fold:6.2f} s for {len(keys)} events")
    cold_start()


def cold_start() -> None:
    """Time what the app does on the first calendar after a restart: every saved revision, read once."""
    plan = load_plan()
    units = plan.units["unit_id"].tolist()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'planner.db'}")
        base = store.ensure_seeded(plan)
        for i in range(REVISIONS - 1):
            plan = move_unit(plan, units[i % len(units)], (i % 3) + 1)
            base = store.save(plan, base=base, editor="bench")
        saved = {r.number: r.saved_at for r in store.history()}
        times = []
        versions: dict[str, Version] = {}
        previous: dict[str, str] = {}
        for number in sorted(saved):
            t0 = time.perf_counter()
            revision = store.load(number)[1]
            events = calendar_events(schedule(revision), revision.milestones)
            now = dict(zip(events["key"], events["fingerprint"], strict=True))
            versions = advance_versions(versions, previous, now, Version(number, saved[number]))
            previous = now
            times.append(time.perf_counter() - t0)
        store.close()
    print(
        f"sample plan, SEQUENCE from {REVISIONS} revisions in SQLite: {sum(times):5.2f} s; the app reads at most "
        f"{HORIZON} after a restart: {sum(times[-HORIZON:]):5.2f} s; then one per save: {times[-1]:5.2f} s"
    )


if __name__ == "__main__":
    main()
