"""A large synthetic plan built on the sample plan, for benchmarks and scale tests (all data 'eksempel')."""

from __future__ import annotations

import pandas as pd

from .model import Plan, build_plan
from .schema import TABLES

__all__ = ["large_plan"]

_EXTRA_ACTIVITIES = (
    # activity_id, title, kind, offset, length, hours
    ("forberedelse", "Forberedelse af data", "preparation", -6, 2, None),
    ("kontoplan-tjek", "Tjek af kontoplan", "deadline", -5, 1, None),
    ("opsamling", "Opsamlingsmøde", "meeting", 5, 1, 1.0),
    ("spoergetime", "Spørgetime", "meeting", 6, 1, 0.5),
    ("evaluering", "Evaluering", "follow-up", 8, 2, None),
    ("ekstra-workshop", "Ekstra workshop", "workshop", 4, 1, 2.0),
    ("nyhedsbrev", "Nyhedsbrev", "invitation", -2, 1, None),
    ("status-afdeling", "Status i afdelingen", "meeting", 10, 1, 1.0),
)


def large_plan(base: Plan, *, units: int = 2000, activities: int = 10) -> Plan:
    """Return `base` with `units` synthetic units spread over its waves and `activities` per unit."""
    source = "eksempel (syntetisk plan)"
    n_departments = max(1, units // 20)
    departments = pd.DataFrame(
        {
            "department_id": [f"afd-{i:04d}" for i in range(n_departments)],
            "name": [f"Afdeling {i}" for i in range(n_departments)],
            "source": source,
        }
    )
    unit_ids = [f"enhed-{i:05d}" for i in range(units)]
    unit_frame = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "name": [f"Enhed {i}" for i in range(units)],
            "department_id": [f"afd-{i % n_departments:04d}" for i in range(units)],
            "source": source,
        }
    )
    waves = sorted(base.waves["wave"].tolist())
    assignments = pd.DataFrame(
        {"unit_id": unit_ids, "wave": [waves[i % len(waves)] for i in range(units)], "source": source}
    )
    template = base.template.copy()
    extra = [
        {
            "activity_id": a,
            "title": t,
            "kind": k,
            "offset_weeks": o,
            "length_weeks": n,
            "hours": h,
            "participants": "Økonomikonsulent, ledere",
            "source": source,
        }
        for a, t, k, o, n, h in _EXTRA_ACTIVITIES
    ]
    template = pd.concat([template, pd.DataFrame(extra)], ignore_index=True).head(activities)
    tasks = base.tasks[base.tasks["unit_id"] == ""]
    known = set(template["activity_id"]) | set(tasks["task_id"])
    deps = base.dependencies
    deps = deps[deps["predecessor"].isin(known) & deps["successor"].isin(known)]
    raw = base.tables() | {
        "departments": departments,
        "units": unit_frame,
        "assignments": assignments,
        "template": template,
        "overrides": pd.DataFrame(columns=TABLES["overrides"].column_names),
        "tasks": tasks,
        "dependencies": deps,
    }
    return build_plan(raw, settings=base.settings)
