"""Reading and writing a plan as a folder of UTF-8 CSV files plus `plan.toml`."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pandas as pd

from .errors import PlanError, Problem
from .model import Plan, Settings, build_plan
from .schema import TABLES

__all__ = ["DEFAULT_DATA_DIR", "load_plan", "read_settings", "save_plan", "table_to_text"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read_csv(path: Path, label: str) -> pd.DataFrame:
    try:
        # utf-8-sig: Excel writes a byte-order mark in front of UTF-8 files.
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise PlanError(Problem(label, None, None, "filen mangler")) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise PlanError(
            Problem(
                label,
                line,
                None,
                "filen er ikke gemt som UTF-8 (æ, ø og å ville blive forkerte); gem den som 'CSV UTF-8'",
            )
        ) from None
    header = text.split("\n", 1)[0]
    # Danish Excel saves CSV with ';' as the list separator.
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise PlanError(Problem(label, None, None, f"filen kan ikke læses som CSV: {exc}")) from None


def read_settings(folder: Path) -> Settings:
    """Read `plan.toml` from `folder`; missing keys take their defaults."""
    path = folder / "plan.toml"
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(Problem(str(path), None, None, f"kan ikke læses: {exc}")) from None
    defaults = Settings()
    try:
        capacity = float(data.get("consultant_capacity_hours", defaults.consultant_capacity_hours))
    except (TypeError, ValueError):
        raise PlanError(Problem(str(path), None, "consultant_capacity_hours", "skal være et tal")) from None
    move_weeks = data.get("move_weeks", defaults.move_weeks)
    if not isinstance(move_weeks, int) or isinstance(move_weeks, bool) or move_weeks < 0:
        raise PlanError(Problem(str(path), None, "move_weeks", "skal være et helt antal uger, 0 eller flere"))
    return Settings(
        title=str(data.get("title", defaults.title)), consultant_capacity_hours=capacity, move_weeks=move_weeks
    )


def load_plan(folder: str | Path = DEFAULT_DATA_DIR) -> Plan:
    """Load and validate the plan in `folder`, or raise PlanError naming file, row and field."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PlanError(Problem(str(folder), None, None, "mappen findes ikke"))
    labels = {name: str(folder / spec.file) for name, spec in TABLES.items()}
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame] = {}
    for name, spec in TABLES.items():
        if not spec.required and not (folder / spec.file).exists():
            continue  # an optional table left out is empty
        try:
            raw[name] = _read_csv(folder / spec.file, labels[name])
        except PlanError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PlanError(problems)
    return build_plan(raw, settings=read_settings(folder), names=labels, first_row=2)


def table_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a typed plan table as text columns, dates as `2026-03-09`, empty for missing."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[column] = values.astype("string").fillna("")
    return pd.DataFrame(out, index=frame.index)


def save_plan(plan: Plan, folder: str | Path) -> None:
    """Write `plan` to `folder` as CSV files and `plan.toml` that `load_plan` reads back."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in plan.tables().items():
        table_to_text(frame).to_csv(folder / TABLES[name].file, index=False, encoding="utf-8")
    title = plan.settings.title.replace("\\", "\\\\").replace('"', '\\"')
    (folder / "plan.toml").write_text(
        f'title = "{title}"\nconsultant_capacity_hours = {plan.settings.consultant_capacity_hours}\n'
        f"move_weeks = {plan.settings.move_weeks}\n",
        encoding="utf-8",
    )
