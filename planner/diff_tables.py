"""What changed in a plan beyond the schedule: rows of its other tables, and its settings.

`diff.diff_plans` names units moved between waves, activities moved, milestones and meetings by
what they mean. Everything else an editor can change (a status, the baseline, a template title, a
dependency, an activity locked, a setting) would otherwise pass as "no changes": this module names
those rows, table by table, in the same columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .merge import SETTINGS_TABLE, describe_key, settings_text, text_tables
from .model import Plan
from .schema import TABLES

__all__ = ["MAX_ROWS_PER_TABLE", "diff_settings", "diff_table_rows"]

# A new baseline rewrites every row of it: past this many rows a table is summed up in one line.
MAX_ROWS_PER_TABLE = 50


@dataclass(frozen=True)
class _Covered:
    """How much of a table the schedule diff already shows."""

    # Columns whose change shows as an activity moved.
    columns: frozenset[str] = frozenset()
    # True when a row added or removed shows as an activity added or removed.
    rows: bool = False
    # True when an absent row means the same as a row of empty values (an override of nothing).
    absent_is_empty: bool = False
    # Columns that count only on a row both plans have: a moved activity's new override brings its
    # own source, which says nothing the move does not.
    when_both: frozenset[str] = frozenset()


_COVERED: Mapping[str, _Covered | None] = {
    # Named by diff_plans itself (None: leave the whole table to it).
    "assignments": None,
    "milestones": None,
    "council_meetings": None,
    "overrides": _Covered(frozenset({"start_week"}), absent_is_empty=True, when_both=frozenset({"source"})),
    "tasks": _Covered(frozenset({"start_week", "end_week"}), rows=True),
}


def _values(row: Mapping[str, str], columns: list[str], labels: Mapping[str, str]) -> str:
    return "; ".join(f"{labels[c]}: {row[c]}" for c in columns if row.get(c, ""))


def diff_table_rows(old: Plan, new: Plan, activity_names: Mapping[str, str]) -> pd.DataFrame:
    """Return the rows added, removed or changed in the tables the schedule diff does not show.

    `activity_names` maps an activity key to the name a user knows (`Ejendomme: Workshop`), for
    the status and baseline tables; columns are `diff.PLAN_DIFF_COLUMNS`.
    """
    old_tables, new_tables = text_tables(old), text_tables(new)
    # Rows are named as the new plan names them, and a removed row as the old plan did.
    names = {n: pd.concat([new_tables[n], old_tables[n]]) for n in ("units", "departments", "template", "tasks")}
    records: list[dict[str, str]] = []
    for name, spec in TABLES.items():
        covered = _COVERED.get(name, _Covered())
        if covered is None:
            continue
        labels = {c.name: c.label for c in spec.columns}
        compared = [c for c in spec.column_names if c not in covered.columns and c not in spec.key]
        before = _keyed(old_tables[name], list(spec.key))
        after = _keyed(new_tables[name], list(spec.key))
        empty = dict.fromkeys(compared, "")
        found: list[dict[str, str]] = []
        for key in [*before, *(k for k in after if k not in before)]:
            b, a = before.get(key), after.get(key)
            both = b is not None and a is not None
            if covered.absent_is_empty:
                b, a = b or empty, a or empty
            elif (b is None or a is None) and covered.rows:
                continue
            if b is not None and a is not None:
                changed = [c for c in compared if b.get(c, "") != a.get(c, "") and (both or c not in covered.when_both)]
                if not changed:
                    continue
                change, shown = "ændret", changed
            else:
                change, shown = ("tilføjet" if b is None else "fjernet"), compared
            what = activity_names.get(key[0], key[0]) if spec.key == ("activity_key",) else None
            found.append(
                {
                    "area": spec.label.lower(),
                    "what": f"{spec.label}: {what}" if what else describe_key(name, key, names),
                    "change": change,
                    "before": _values(b, shown, labels) if b is not None else "",
                    "after": _values(a, shown, labels) if a is not None else "",
                }
            )
        if len(found) > MAX_ROWS_PER_TABLE:
            rest = len(found) - MAX_ROWS_PER_TABLE + 1
            found = found[: MAX_ROWS_PER_TABLE - 1]
            found.append(
                {"area": spec.label.lower(), "what": f"{spec.label}: {rest} rækker mere", "change": "ændret"}
                | {"before": "", "after": ""}
            )
        records += found
    return pd.DataFrame.from_records(records, columns=["area", "what", "change", "before", "after"])


def diff_settings(old: Plan, new: Plan) -> pd.DataFrame:
    """Return one row per plan-wide setting that changed, in `diff.PLAN_DIFF_COLUMNS`."""
    before, after = settings_text(old.settings), settings_text(new.settings)
    return pd.DataFrame.from_records(
        [
            {
                "area": "indstilling",
                "what": describe_key(SETTINGS_TABLE, (field,), {}),
                "change": "ændret",
                "before": before[field],
                "after": after[field],
            }
            for field in before
            if before[field] != after.get(field)
        ],
        columns=["area", "what", "change", "before", "after"],
    )


def _keyed(frame: pd.DataFrame, key: list[str]) -> dict[tuple[str, ...], dict[str, str]]:
    """Return a text table's rows by key, in table order."""
    if frame.empty:
        return {}
    rows = frame.to_dict("records")
    return {tuple(str(r.get(k, "")) for k in key): {str(c): str(v) for c, v in r.items()} for r in rows}
