"""How each activity's progress is marked: done, in progress, overdue or cancelled, and its slip in words.

The Gantt and the Excel week plan both mark activities from `progress.progress`; this module says,
once for both, which mark an activity gets and what its hover line or cell says about its slip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .texts import count_text, weeks_text

__all__ = ["ACTIVE", "CANCELLED", "DONE", "MARK_COLUMNS", "OVERDUE", "late_or_moved", "marks", "slip_text"]

DONE = "done"
ACTIVE = "active"
OVERDUE = "overdue"
CANCELLED = "cancelled"
# Order of precedence: a cancelled or done activity is never overdue; an overdue one may be in progress.
MARK_COLUMNS: tuple[str, ...] = (
    "activity_key",
    "mark",
    "status",
    "overdue",
    "start_slip_weeks",
    "slip_weeks",
    "moved",
    "baseline_start",
    "baseline_end",
    "status_text",
    "slip_text",
)


def _mondays(labels: pd.Series) -> pd.Series:
    # Empty labels (a new activity has no baseline) become NaT.
    return pd.to_datetime(labels.fillna("").astype(str) + "-1", format="%G-W%V-%u", errors="coerce")


def slip_text(start_slip: int, end_slip: int, baseline: str) -> str:
    """Return the slip in words: `Flyttet 2 uger senere end godkendt plan (uge 12–13)`, or '' when none."""
    if start_slip == 0 and end_slip == 0:
        return ""

    def later(n: int) -> str:
        return f"{count_text(abs(n), 'uge', 'uger')} {'senere' if n > 0 else 'tidligere'}"

    if start_slip == end_slip:
        return f"Flyttet {later(end_slip)} end godkendt plan ({baseline})"
    parts = [
        f"starter {later(start_slip)}" if start_slip else "starter som planlagt",
        f"slutter {later(end_slip)}" if end_slip else "slutter som planlagt",
    ]
    return f"Ændret fra godkendt plan ({baseline}): {' og '.join(parts)}"


def marks(schedule: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Return one row per schedule row (same index), columns `MARK_COLUMNS`, from `progress.progress`.

    `mark` is `done`, `active`, `overdue`, `cancelled` or '' (planned); `moved` is True where the
    activity's weeks differ from the baseline's; `status_text` and `slip_text` are plain Danish.
    """
    rows = progress[progress["change"] != "removed"].drop_duplicates("activity_key").set_index("activity_key")
    got = rows.reindex(schedule["activity_key"].astype("string").to_numpy())
    status = got["status"].astype("string").fillna("planlagt").to_numpy(dtype=object)
    overdue = got["overdue"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    start_slip = got["start_slip_weeks"].astype("Int64")
    end_slip = got["slip_weeks"].astype("Int64")
    moved = ((start_slip.fillna(0) != 0) | (end_slip.fillna(0) != 0)).to_numpy(dtype=bool)
    mark = np.select(
        [status == "aflyst", status == "gennemført", overdue, status == "i gang"],
        [CANCELLED, DONE, OVERDUE, ACTIVE],
        default="",
    ).astype(object)
    first = _mondays(got["baseline_start_week"].astype("string"))
    last = _mondays(got["baseline_end_week"].astype("string")) + pd.Timedelta(days=6)
    end_weeks = got["end_week"].astype("string").fillna("")
    status_text = [
        f"Status: {s}" + (f" · forsinket (slut {_week(w)})" if late else "")
        for s, late, w in zip(status, overdue, end_weeks, strict=True)
    ]
    slips = [
        slip_text(int(s), int(e), weeks_text(f.date(), t.date())) if m else ""
        for s, e, m, f, t in zip(start_slip.fillna(0), end_slip.fillna(0), moved, first, last, strict=True)
    ]
    new = (got["change"].astype("string") == "new").fillna(False).to_numpy(dtype=bool)
    slips = ["Ny: ikke med i den godkendte plan" if n else s for s, n in zip(slips, new, strict=True)]
    out = pd.DataFrame(
        {
            "activity_key": schedule["activity_key"].to_numpy(),
            "mark": mark,
            "status": status,
            "overdue": overdue,
            "start_slip_weeks": start_slip.to_numpy(),
            "slip_weeks": end_slip.to_numpy(),
            "moved": moved,
            "baseline_start": first.to_numpy(),
            "baseline_end": last.to_numpy(),
            "status_text": status_text,
            "slip_text": slips,
        },
        index=schedule.index,
    )
    return out[list(MARK_COLUMNS)]


def _week(label: str) -> str:
    return f"uge {int(label[6:])}" if len(label) == 8 else label


def late_or_moved(progress: pd.DataFrame) -> pd.Series:
    """Return the keys of the activities that are overdue or whose weeks moved from the baseline."""
    current = progress[progress["change"] != "removed"]
    moved = (current["slip_weeks"].fillna(0) != 0) | (current["start_slip_weeks"].fillna(0) != 0)
    return current.loc[current["overdue"].astype(bool) | moved, "activity_key"]
