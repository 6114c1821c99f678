"""What every check's findings share: the severities, their Danish names, and how a week is said."""

from __future__ import annotations

import pandas as pd

from .isoweeks import week_mondays

__all__ = ["ERROR", "SEVERITY_LABELS", "WARNING", "say_week"]

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "fejl", WARNING: "advarsel"}


def say_week(labels: pd.Series) -> pd.Series:
    """Return `uge 11 (09.03.2026)` for every `2026-W11` label: the Monday keeps the year clear."""
    mondays = week_mondays(labels)
    text: pd.Series = "uge " + labels.str[-2:].str.lstrip("0") + " (" + mondays.dt.strftime("%d.%m.%Y") + ")"
    return text
