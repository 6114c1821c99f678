"""Shared fixtures: the real sample plan in data/, and editable copies of it in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from planner import DEFAULT_DATA_DIR, Plan, load_plan, schedule


@pytest.fixture(scope="session")
def sample_plan() -> Plan:
    return load_plan(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def sample_schedule(sample_plan: Plan) -> pd.DataFrame:
    return schedule(sample_plan)


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    """A copy of the sample plan's folder that a test may edit."""
    target = tmp_path / "plan"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


EditCsv = Callable[[str, Callable[[pd.DataFrame], pd.DataFrame]], Path]


@pytest.fixture
def edit_csv(plan_dir: Path) -> EditCsv:
    """Rewrite one CSV file of `plan_dir` through a function of its (text) DataFrame."""

    def edit(name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
        path = plan_dir / f"{name}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        change(frame).to_csv(path, index=False)
        return path

    return edit


def row_names(yaxis: dict[str, object]) -> dict[str, str]:
    """Map a Gantt figure's short row codes to `Group › Row` as a reader sees the axis."""
    names: dict[str, str] = {}
    group = ""
    for code, text in zip(yaxis["tickvals"], yaxis["ticktext"], strict=True):  # type: ignore[call-overload]
        if text.startswith("<b>"):
            group = text[3:-4]
            names[code] = f"{group} › {group}"  # a heading row holds the bars of a one-row group
        else:
            names[code] = f"{group} › {text.replace('<br>', ' ')}"
    return names
