"""What changed between two schedules, per unit: activities added, moved and removed."""

from __future__ import annotations

import pandas as pd

__all__ = ["DIFF_COLUMNS", "diff_schedules"]

DIFF_COLUMNS = ("change", "unit", "activity", "from_week", "to_week")
_KEY = ["unit_id", "activity_id"]  # a template activity per unit, or a one-off task (no unit)


def diff_schedules(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Return one row per activity added, moved or removed, with Danish change names, sorted by unit."""
    columns = [*_KEY, "unit", "activity", "start_week", "end_week"]
    both = old[columns].merge(new[columns], on=_KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    span_old = both["start_week_old"].fillna("") + "–" + both["end_week_old"].fillna("")
    span_new = both["start_week_new"].fillna("") + "–" + both["end_week_new"].fillna("")
    change = pd.Series("", index=both.index, dtype="string")
    change[both["_merge"] == "right_only"] = "tilføjet"
    change[both["_merge"] == "left_only"] = "fjernet"
    change[(both["_merge"] == "both") & (span_old != span_new)] = "flyttet"
    out = pd.DataFrame(
        {
            "change": change,
            "unit": both["unit_new"].fillna(both["unit_old"]).fillna(""),
            "activity": both["activity_new"].fillna(both["activity_old"]).fillna(""),
            "from_week": both["start_week_old"].fillna(""),
            "to_week": both["start_week_new"].fillna(""),
        }
    )
    out = out[out["change"] != ""]
    return out.sort_values(["unit", "activity"], kind="stable").reset_index(drop=True)[list(DIFF_COLUMNS)]
