"""What changed between two schedules, per unit: activities added, moved and removed."""

from __future__ import annotations

import pandas as pd

from .diff_tables import diff_settings, diff_table_rows
from .model import Plan
from .scheduler import schedule

__all__ = ["DIFF_COLUMNS", "PLAN_DIFF_COLUMNS", "diff_plans", "diff_schedules"]

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


PLAN_DIFF_COLUMNS = ("area", "what", "change", "before", "after")


def _meetings_diff(old: Plan, new: Plan) -> pd.DataFrame:
    """Return the council meetings added to or removed from the meeting list."""
    key = ["date", "body"]
    both = old.council_meetings[key].merge(new.council_meetings[key], on=key, how="outer", indicator=True)
    both = both[both["_merge"] != "both"]
    text = both["body"] + "-møde " + both["date"].dt.strftime("%d.%m.%Y")
    added = both["_merge"] == "right_only"
    return pd.DataFrame(
        {
            "area": "politisk møde",
            "what": text,
            "change": pd.Series("fjernet", index=both.index).where(~added, "tilføjet"),
            "before": text.where(~added, ""),
            "after": text.where(added, ""),
        }
    )


def diff_plans(old: Plan, new: Plan) -> pd.DataFrame:
    """Return what changed between two plans: waves, activities, milestones, meetings, every other row, settings."""
    parts: list[pd.DataFrame] = []
    names = pd.concat([old.units, new.units]).drop_duplicates("unit_id", keep="last").set_index("unit_id")["name"]
    a = old.assignments[["unit_id", "wave"]].merge(
        new.assignments[["unit_id", "wave"]], on="unit_id", how="outer", suffixes=("_old", "_new")
    )
    a = a[a["wave_old"].astype("string").fillna("") != a["wave_new"].astype("string").fillna("")]
    moved_units = set(a["unit_id"])
    if len(a):
        before = a["wave_old"].astype("string").fillna("")
        after = a["wave_new"].astype("string").fillna("")
        change = ("flyttet fra bølge " + before + " til bølge " + after).where(
            (before != "") & (after != ""),
            ("tilføjet til bølge " + after).where(before == "", "taget ud af bølge " + before),
        )
        parts.append(
            pd.DataFrame(
                {"area": "enhed", "what": a["unit_id"].map(names), "change": change, "before": before, "after": after}
            )
        )
    old_sched, new_sched = schedule(old), schedule(new)
    acts = diff_schedules(old_sched, new_sched)
    # Activities of a unit that changed wave all move with it: the wave line above says it once.
    acts = acts[~acts["unit"].isin(names.reindex(list(moved_units)).tolist())]
    if len(acts):
        what = (acts["unit"] + ": " + acts["activity"]).where(acts["unit"] != "", acts["activity"])
        parts.append(
            pd.DataFrame(
                {
                    "area": "aktivitet",
                    "what": what,
                    "change": acts["change"],
                    "before": acts["from_week"],
                    "after": acts["to_week"],
                }
            )
        )
    columns = ["milestone_id", "date", "title", "body", "kind", "budget_step", "budget_year"]
    m = old.milestones[columns].merge(new.milestones[columns], on="milestone_id", how="outer", suffixes=("_o", "_n"))
    text_o = m["date_o"].dt.strftime("%d.%m.%Y").fillna("") + " " + m["title_o"].fillna("")
    text_n = m["date_n"].dt.strftime("%d.%m.%Y").fillna("") + " " + m["title_n"].fillna("")
    same = text_o == text_n
    for column in ("body", "kind", "budget_step", "budget_year"):
        same &= m[f"{column}_o"].astype("string").fillna("") == m[f"{column}_n"].astype("string").fillna("")
    m, text_o, text_n = m[~same], text_o[~same].str.strip(), text_n[~same].str.strip()
    if len(m):
        change = pd.Series("ændret", index=m.index).where(m["title_o"].notna() & m["title_n"].notna(), "")
        change = change.where(m["title_o"].notna(), "tilføjet").where(m["title_n"].notna(), "fjernet")
        parts.append(
            pd.DataFrame(
                {
                    "area": "milepæl",
                    "what": m["title_n"].fillna(m["title_o"]),
                    "change": change,
                    "before": text_o,
                    "after": text_n,
                }
            )
        )
    parts.append(_meetings_diff(old, new))
    named = pd.concat([new_sched, old_sched]).drop_duplicates("activity_key")
    label = (named["unit"] + ": " + named["activity"]).where(named["unit"] != "", named["activity"])
    parts.append(diff_table_rows(old, new, dict(zip(named["activity_key"], label, strict=True))))
    parts.append(diff_settings(old, new))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in PLAN_DIFF_COLUMNS})
    return pd.concat(parts, ignore_index=True)[list(PLAN_DIFF_COLUMNS)].astype("string")
