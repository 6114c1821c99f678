"""Following the rollout as it happens: status, slip against the baseline, overdue, new and removed activities."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .findings import WARNING, say_week
from .isoweeks import iso_label, week_of
from .model import Plan
from .scheduler import wave_calendar
from .schema import FINDING_COLUMNS

__all__ = [
    "CHANGE_LABELS",
    "CLOSED",
    "DONE",
    "PROGRESS_COLUMNS",
    "as_of_week",
    "progress",
    "progress_findings",
]

DONE = "gennemført"
CLOSED = ("gennemført", "aflyst")  # nothing more to do: never overdue
CHANGE_LABELS: dict[str, str] = {"new": "ny", "removed": "fjernet", "moved_wave": "skiftet bølge"}

PROGRESS_COLUMNS: tuple[str, ...] = (
    "activity_key",
    "wave",
    "wave_name",
    "department_id",
    "department",
    "unit_id",
    "unit",
    "activity_id",
    "activity",
    "kind",
    "status",
    "note",
    "start_week",
    "end_week",
    "baseline_start_week",
    "baseline_end_week",
    "start_slip_weeks",
    "slip_weeks",
    "overdue",
    "change",
    "start_date",
    "end_date",
)

_TEMPLATE_KEY = r"^b(\d+)/([^/]+)/([^/]+)$"


def as_of_week(as_of: dt.date) -> str:
    """Return the ISO week label (`2026-W16`) that holds `as_of`."""
    return iso_label(week_of(as_of))


def _isin(values: pd.Series, known: pd.Series | pd.Index) -> pd.Series:
    """Return which `values` are in `known`, through a hash table.

    pandas' Arrow-backed strings build the lookup set of `Series.isin` one scalar at a time, which
    costs a quarter of a second per 20,000 keys; object arrays use pandas' hash table.
    """
    lookup = pd.Index(pd.Series(known).to_numpy(dtype=object), dtype=object)
    found = pd.Index(values.to_numpy(dtype=object), dtype=object).isin(lookup)
    return pd.Series(found, index=values.index, dtype=bool)


def _mondays(labels: pd.Series) -> pd.Series:
    # Empty labels (no baseline, or removed) become NaT instead of failing the whole column.
    return pd.to_datetime(labels.fillna("").astype(str) + "-1", format="%G-W%V-%u", errors="coerce")


def _removed_rows(plan: Plan, removed: pd.DataFrame) -> pd.DataFrame:
    """Describe baseline rows whose activity is gone, from what their key still names."""
    parts = removed["activity_key"].str.extract(_TEMPLATE_KEY)
    units = plan.units.set_index("unit_id")
    departments = plan.departments.set_index("department_id")["name"]
    titles = pd.concat(
        [
            plan.template.set_index("activity_id")["title"],
            plan.tasks.set_index("task_id")["title"],
        ]
    )
    titles = titles[~titles.index.duplicated()]
    waves = plan.waves.set_index("wave")["name"]
    out = pd.DataFrame(index=removed.index)
    out["activity_key"] = removed["activity_key"]
    out["wave"] = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
    out["wave_name"] = out["wave"].map(waves).astype("string").fillna("")
    out["unit_id"] = parts[1].astype("string").fillna("")
    out["unit"] = out["unit_id"].map(units["name"]).astype("string").fillna(out["unit_id"])
    out["department_id"] = out["unit_id"].map(units["department_id"]).astype("string").fillna("")
    out["department"] = out["department_id"].map(departments).astype("string").fillna("")
    out["activity_id"] = parts[2].astype("string").fillna(removed["activity_key"])
    out["activity"] = out["activity_id"].map(titles).astype("string").fillna(out["activity_id"])
    out["kind"] = ""
    out["start_week"] = ""
    out["end_week"] = ""
    out["baseline_start_week"] = removed["baseline_start_week"]
    out["baseline_end_week"] = removed["baseline_end_week"]
    out["change"] = "removed"
    return out


def progress(plan: Plan, sched: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Return one row per activity of the schedule or the baseline, columns `PROGRESS_COLUMNS`.

    `status` is the recorded status (`planlagt` when none), `slip_weeks` and `start_slip_weeks` are
    how many weeks the end and start moved from the baseline (positive: later), `overdue` is True
    when the end week lies before the week of `as_of` and the activity is neither done nor cancelled,
    and `change` is `new` (not in the baseline), `removed` (in the baseline only), `moved_wave` (its
    unit changed wave, so its key changed; the slip is against the old wave's weeks) or empty.
    """
    base = plan.baseline[["activity_key", "start_week", "end_week"]].rename(
        columns={"start_week": "baseline_start_week", "end_week": "baseline_end_week"}
    )
    current = sched.drop(columns=[c for c in sched.columns if c not in PROGRESS_COLUMNS]).merge(
        base, on="activity_key", how="left"
    )
    current["change"] = pd.Series("", index=current.index, dtype="string").where(
        current["baseline_start_week"].notna(), "new"
    )
    removed = base[~_isin(base["activity_key"], sched["activity_key"])]

    # A unit moved to another wave keeps its activities under new keys (b2/... -> b3/...): pair them
    # with the old wave's baseline, so Chefforum sees a slip, not an activity removed and one added.
    if len(removed) and (current["change"] == "new").any():
        old = removed["activity_key"].str.replace(r"^b\d+/", "", regex=True)
        new_rows = current["change"] == "new"
        tail = current["activity_key"].where(new_rows).str.replace(r"^b\d+/", "", regex=True)
        is_template = current["activity_key"].str.match(_TEMPLATE_KEY) & new_rows
        pairable = old[removed["activity_key"].str.match(_TEMPLATE_KEY) & ~old.duplicated(keep=False)]
        lookup = pd.Series(pairable.index, index=pairable.to_numpy())
        matched = is_template & _isin(tail, lookup.index)
        if matched.any():
            source = lookup.reindex(tail[matched]).to_numpy()
            current.loc[matched, "baseline_start_week"] = removed.loc[source, "baseline_start_week"].to_numpy()
            current.loc[matched, "baseline_end_week"] = removed.loc[source, "baseline_end_week"].to_numpy()
            current.loc[matched, "change"] = "moved_wave"
            removed = removed.drop(index=pd.Index(source))

    rows = pd.concat([current, _removed_rows(plan, removed)], ignore_index=True) if len(removed) else current
    status = plan.status.set_index("activity_key")
    rows["status"] = rows["activity_key"].map(status["status"]).astype("string").fillna("planlagt")
    rows["note"] = rows["activity_key"].map(status["note"]).astype("string").fillna("")
    for column in ("start_week", "end_week", "baseline_start_week", "baseline_end_week", "change"):
        rows[column] = rows[column].astype("string").fillna("")
    rows["start_slip_weeks"] = _slip(rows["start_week"], rows["baseline_start_week"])
    rows["slip_weeks"] = _slip(rows["end_week"], rows["baseline_end_week"])
    now = as_of_week(as_of)
    rows["overdue"] = (rows["end_week"] != "") & (rows["end_week"] < now) & ~rows["status"].isin(CLOSED)
    for column in ("start_date", "end_date"):
        rows[column] = pd.to_datetime(rows[column]) if column in rows else pd.NaT
    for column in PROGRESS_COLUMNS:
        if column not in rows:
            rows[column] = ""
    return rows[list(PROGRESS_COLUMNS)].reset_index(drop=True)


def _slip(current: pd.Series, baseline: pd.Series) -> pd.Series:
    days = (_mondays(current) - _mondays(baseline)).dt.days
    return (days // 7).astype("Int64")


def _findings(rows: pd.DataFrame, *, code: str, message: pd.Series, suggestion: object) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "severity": WARNING,
            "code": code,
            "unit_id": rows["unit_id"],
            "unit": rows["unit"],
            "activity_key": rows["activity_key"],
            "activity": rows["activity"],
            "week": rows["end_week"],
            "message": message,
            "suggestion": suggestion,
        },
        index=rows.index,
    )
    return frame[list(FINDING_COLUMNS)]


def _orphan_status(plan: Plan, sched: pd.DataFrame) -> pd.DataFrame:
    orphans = plan.status[~_isin(plan.status["activity_key"], sched["activity_key"])]
    if orphans.empty:
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    parts = orphans["activity_key"].str.extract(_TEMPLATE_KEY)
    unit_id = parts[1].astype("string").fillna("")
    rows = pd.DataFrame(
        {
            "unit_id": unit_id,
            "unit": unit_id.map(plan.units.set_index("unit_id")["name"]).astype("string").fillna(""),
            "activity_key": orphans["activity_key"],
            "activity": orphans["activity_key"],
            "end_week": "",
        }
    )
    message = (
        "Status '"
        + orphans["status"]
        + "' gælder aktiviteten '"
        + orphans["activity_key"]
        + "', som ikke findes i planen (længere); rækken er bevaret"
    )
    return _findings(
        rows,
        code="status_unknown_activity",
        message=message,
        suggestion="Ret aktivitetsnøglen, eller slet rækken i status.csv",
    )


def _overdue(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[table["overdue"]]
    message = (
        (rows["activity"] + " skulle være afsluttet i " + say_week(rows["end_week"]) + " (status: ")
        + rows["status"].astype("string")
        + ")"
    )
    return _findings(
        rows,
        code="overdue",
        message=message,
        suggestion="Markér den som gennemført, eller udskyd den til en ny uge på siden Status",
    )


def _follow_up_before_workshop(table: pd.DataFrame, now: str) -> pd.DataFrame:
    current = table[(table["change"] != "removed") & (table["unit_id"] != "")]
    follow = current[
        (current["kind"] == "follow-up") & (current["start_week"] <= now) & (current["status"] != "aflyst")
    ]
    workshops = current[(current["kind"] == "workshop") & (current["status"] != DONE)]
    pairs = follow.merge(
        workshops[["wave", "unit_id", "activity", "status", "end_week"]],
        on=["wave", "unit_id"],
        suffixes=("", "_ws"),
    )
    if pairs.empty:
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    message = (
        pairs["activity"]
        + " er begyndt i "
        + say_week(pairs["start_week"])
        + ", men "
        + pairs["activity_ws"]
        + " er ikke gennemført (status: "
        + pairs["status_ws"]
        + ")"
    )
    return _findings(
        pairs,
        code="follow_up_before_workshop",
        message=message,
        suggestion="Markér workshoppen som gennemført, eller udskyd opfølgningen til efter workshoppen",
    )


def _wave_past_month(plan: Plan, table: pd.DataFrame) -> pd.DataFrame:
    waves = wave_calendar(plan)
    found = []
    for wave, name, month, last_monday in zip(
        waves["wave"], waves["name"], waves["follow_up_month"], waves["last_monday"], strict=True
    ):
        first = pd.Timestamp(f"{month}-01")
        rows = table[
            (table["wave"] == wave).fillna(False)
            & (table["unit_id"] != "")
            & (table["change"] != "removed")
            & ~table["status"].isin(CLOSED)
            & (table["slip_weeks"].fillna(0) > 0)
            & (_mondays(table["start_week"]) > last_monday)
        ]
        # Only what slipped out of the month: an activity planned after it from the start is not news.
        rows = rows[_mondays(rows["baseline_start_week"]) <= last_monday]
        if rows.empty:
            continue
        units = sorted(set(rows["unit"]))
        named = ", ".join(units[:3]) + (f" og {len(units) - 3} andre" if len(units) > 3 else "")
        latest = str(rows["end_week"].max())
        month_name = _month_name(first.date())
        n = len(rows)
        found.append(
            {
                "unit_id": "",
                "unit": "",
                "activity_key": "",
                "activity": "",
                "end_week": latest,
                "message": f"{name}: {n} {'aktivitet' if n == 1 else 'aktiviteter'} hos {named} er skredet "
                f"ud over opfølgningsmåneden {month_name} (senest {say_week(pd.Series([latest])).iloc[0]})",
            }
        )
    if not found:
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    frame = pd.DataFrame(found)
    return _findings(
        frame,
        code="wave_past_follow_up_month",
        message=frame["message"],
        suggestion="Ryk aktiviteterne frem, eller flyt enhederne til en senere bølge",
    )


def _month_name(day: dt.date) -> str:
    from .isoweeks import danish_month  # babel loads on first use only

    return danish_month(day, with_year=True)


def progress_findings(
    plan: Plan, sched: pd.DataFrame, as_of: dt.date | None = None, *, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the findings on the rollout's progress, columns `FINDING_COLUMNS`, all warnings.

    Always: status rows for activities that no longer exist, and waves whose activities slipped past
    their follow-up month. With `as_of`: overdue activities, and follow-ups begun before their workshop
    was done. `table` is `progress(plan, sched, as_of)` when the caller already has it.
    """
    if table is None:
        table = progress(plan, sched, as_of or dt.date.min)
    parts = [_orphan_status(plan, sched)]
    if len(plan.baseline):
        parts.append(_wave_past_month(plan, table))
    if as_of is not None:
        parts.append(_overdue(table))
        parts.append(_follow_up_before_workshop(table, as_of_week(as_of)))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in FINDING_COLUMNS})
    found = pd.concat(parts, ignore_index=True)
    for column in FINDING_COLUMNS:
        found[column] = found[column].astype("string").fillna("")
    return found
