"""Reading and writing a plan as a folder of UTF-8 CSV files plus `plan.toml`."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import fields
from pathlib import Path

import pandas as pd

from .errors import PlanError, Problem
from .model import Plan, Settings, build_plan, setting_problem
from .schema import TABLES

__all__ = [
    "DEFAULT_DATA_DIR",
    "MAX_FILE_BYTES",
    "load_plan",
    "parse_csv",
    "read_settings",
    "save_plan",
    "table_to_text",
]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# A plan file is a few kB; the limit keeps a wrong file (an export, a log) from taking minutes to refuse.
MAX_FILE_BYTES = 10 * 1024 * 1024
# More columns than any table has by far: a header of separators is refused before pandas reads it.
_MAX_COLUMNS = 200
_SAVE_AS = "gem filen som 'CSV UTF-8'"
_SEPARATORS = (",", ";", "\t")


def _megabytes(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanError(
                Problem(label, None, None, f"filen er {_megabytes(size)}; grænsen er {_megabytes(MAX_FILE_BYTES)}")
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise PlanError(Problem(label, None, None, "filen mangler")) from None
    except OSError:
        raise PlanError(
            Problem(label, None, None, "filen kan ikke åbnes (er den en mappe, eller mangler der adgang?)")
        ) from None


def _decode(data: bytes, label: str) -> str:
    try:
        # utf-8-sig: Excel writes a byte-order mark in front of UTF-8 files.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanError(
            Problem(
                label,
                line,
                None,
                "filen er ikke gemt som UTF-8 (æ, ø og å ville blive forkerte); gem den som 'CSV UTF-8'",
            )
        ) from None


def _bad_line(text: str, sep: str, width: int) -> str:
    """Return, in Danish, the first line of `text` that is not CSV with `width` fields a row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    start = 1
    try:
        for record in reader:
            if len(record) > width:
                return (
                    f"linje {start} har {len(record)} felter, men overskriften har {width}; "
                    f"tjek skilletegn og anførselstegn, og {_SAVE_AS}"
                )
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            return f"anførselstegnet i linje {start} lukkes aldrig; {_SAVE_AS}"
        if "field limit" in str(exc):
            return f"linje {start} har et meget langt felt – måske et anførselstegn, der ikke lukkes; {_SAVE_AS}"
        return f"linje {start} kan ikke læses som CSV (anførselstegn midt i et felt?); {_SAVE_AS}"
    return f"filen kan ikke læses som CSV; {_SAVE_AS}"


def parse_csv(text: str, label: str, expected: list[str]) -> pd.DataFrame:
    """Return the rows of a CSV text as text columns named by its header, or raise PlanError in Danish.

    The separator is `,`, `;` (Danish Excel) or a tab, whichever the header line has most of; blank
    lines are kept as empty rows so row numbers stay those of the file (`build_plan` skips them).
    """
    if not text.strip():
        raise PlanError(
            Problem(label, None, None, f"filen er tom; første linje skal være kolonnernes navne: {', '.join(expected)}")
        )
    text = text.lstrip("\r\n")  # blank lines above the header
    first = text.split("\n", 1)[0]
    sep = max(_SEPARATORS, key=first.count)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error:
        raise PlanError(
            Problem(
                label, 1, None, f"overskriftslinjen kan ikke læses (et anførselstegn, der ikke lukkes?); {_SAVE_AS}"
            )
        ) from None
    if len(header) > _MAX_COLUMNS:
        raise PlanError(
            Problem(
                label, None, None, f"overskriftslinjen har {len(header)} kolonner; forventet: {', '.join(expected)}"
            )
        )
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, na_filter=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError, OverflowError):
        raise PlanError(Problem(label, None, None, _bad_line(text, sep, len(header)))) from None
    if not isinstance(frame.index, pd.RangeIndex) or len(frame.columns) != len(header):
        # pandas turns a first data row one field longer than the header into an index, silently.
        raise PlanError(Problem(label, None, None, _bad_line(text, sep, len(header))))
    # The header as written (pandas renames duplicates): build_plan names duplicated and unknown ones.
    frame.columns = pd.Index(header)
    # Trailing separators (an empty column with no name) are no content.
    empty = [i for i, name in enumerate(header) if not name.strip() and not frame.iloc[:, i].str.strip().any()]
    if empty:
        frame = frame.iloc[:, [i for i in range(len(header)) if i not in set(empty)]]
    return frame


def _read_csv(path: Path, label: str, expected: list[str]) -> pd.DataFrame:
    return parse_csv(_decode(_read_bytes(path, label), label), label, expected)


_TOML_POSITION = re.compile(r"at line (\d+), column (\d+)")


def read_settings(folder: Path) -> Settings:
    """Read `plan.toml` from `folder`; missing keys take their defaults; bad values raise PlanError."""
    path = folder / "plan.toml"
    label = str(path)
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(_decode(_read_bytes(path, label), label))
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_POSITION.search(str(exc))
        at = f"linje {where[1]}, tegn {where[2]}" if where else "filen"
        raise PlanError(
            Problem(label, None, None, f"{at} kan ikke læses som TOML; skriv fx: consultant_capacity_hours = 8")
        ) from None
    known = [f.name for f in fields(Settings)]
    problems = [
        Problem(label, None, None, f"ukendt indstilling '{key}'; kendte: {', '.join(known)}")
        for key in data
        if key not in known
    ]
    problems += [
        Problem(label, None, key, message)
        for key in known
        if key in data and (message := setting_problem(key, data[key])) is not None
    ]
    if problems:
        raise PlanError(problems)
    defaults = Settings()
    return Settings(
        title=str(data.get("title", defaults.title)),
        consultant_capacity_hours=float(
            str(data.get("consultant_capacity_hours", defaults.consultant_capacity_hours)).replace(",", ".")
        ),
        move_weeks=int(float(str(data.get("move_weeks", defaults.move_weeks)))),
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
            raw[name] = _read_csv(folder / spec.file, labels[name], spec.column_names)
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
