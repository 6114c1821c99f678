"""Which findings an edit brings: the findings of the plan after it that the plan before did not have."""

from __future__ import annotations

import pandas as pd

__all__ = ["new_findings"]

# Two findings are the same when they say the same about the same activity in the same week.
_SAME = ["code", "unit_id", "activity", "week", "message"]


def new_findings(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Return the findings in `after` that `before` did not have."""
    old = set(before[_SAME].itertuples(index=False, name=None))
    return after[[row not in old for row in after[_SAME].itertuples(index=False, name=None)]]
