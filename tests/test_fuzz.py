"""Property-based test: any mutation of the sample plan's files is either a usable plan or a PlanError.

Hypothesis breaks copies of `data/` the way hand editing and spreadsheets do (cells to random text,
huge and non-finite numbers, extreme weeks and dates, deleted, duplicated and swapped columns, BOM,
Latin-1, ';' separators, CRLF, empty and cut-off files, plan.toml) and asserts that `load_plan`
returns a plan that `schedule` and `check` process, or raises PlanError with a Danish message; and
that the command line exits 0, 1 or 2 without an exception.

The example count is moderate by default; `HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz.py`
runs a longer search.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import DEFAULT_DATA_DIR, PlanError, check, load_plan, schedule
from planner.cli import main

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never fails by luck
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CSV_FILES = sorted(p.name for p in DEFAULT_DATA_DIR.glob("*.csv"))
SAMPLE_ROWS = {name: list(csv.reader(io.StringIO((DEFAULT_DATA_DIR / name).read_text("utf-8")))) for name in CSV_FILES}
SAMPLE_TOML = (DEFAULT_DATA_DIR / "plan.toml").read_text("utf-8")
SAMPLE_VALUES = sorted({cell for rows in SAMPLE_ROWS.values() for row in rows for cell in row})

# Text pandas, numpy or Python put in their own errors: none of it may reach a user.
ENGLISH = re.compile(r"Error tokenizing|C error|No columns to parse|doesn't match format|out of bounds|Traceback")

EXTREMES = (
    *("", " ", "inf", "-inf", "nan", "NaN", "1e308", "-1e308", "99999999999999999999", "-1", "0", "1,5", "0x10"),
    *("0001-W01", "0226-W10", "9999-W52", "2026-W53", "2027-W53", "2026-W00", "uge 11", "uge 11 2026"),
    *("0001-01", "0226-05", "2026-13", "0001-01-01", "31.12.1999", "2026-02-30", "09.03.2026", "2100-12-31"),
    *("=1+1", '"', "a,b", "a;b", "\x00", "æøå", "ø" * 6000),
)
VALUES = st.one_of(
    st.sampled_from(EXTREMES),
    st.sampled_from(SAMPLE_VALUES),  # valid values in the wrong place reach schedule and check
    st.text(max_size=12),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(repr),
    st.builds(lambda y, w: f"{y:04d}-W{w:02d}", st.integers(0, 9999), st.integers(0, 60)),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 13)),
)


@dataclass
class PlanFiles:
    """A plan folder being broken: CSV rows per file, how each is written, and byte-level damage."""

    rows: dict[str, list[list[str]]] = field(
        default_factory=lambda: {n: [list(r) for r in rs] for n, rs in SAMPLE_ROWS.items()}
    )
    toml: str = SAMPLE_TOML
    sep: dict[str, str] = field(default_factory=dict)
    newline: dict[str, str] = field(default_factory=dict)
    encoding: dict[str, str] = field(default_factory=dict)
    damage: dict[str, list[Callable[[bytes], bytes]]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)

    def write(self, folder: Path) -> None:
        folder.mkdir()
        for name, rows in self.rows.items():
            if name in self.deleted:
                continue
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=self.sep.get(name, ","), lineterminator=self.newline.get(name, "\n"))
            writer.writerows(rows)
            data = buffer.getvalue().encode(self.encoding.get(name, "utf-8"), errors="replace")
            for damage in self.damage.get(name, []):
                data = damage(data)
            (folder / name).write_bytes(data)
        (folder / "plan.toml").write_text(self.toml, encoding="utf-8")


Mutation = Callable[[PlanFiles, st.DataObject], None]


def _file(files: PlanFiles, data: st.DataObject) -> tuple[str, list[list[str]]]:
    name = data.draw(st.sampled_from(CSV_FILES), label="file")
    return name, files.rows[name]


def _cell(files: PlanFiles, data: st.DataObject) -> None:
    _, rows = _file(files, data)
    r = data.draw(st.integers(0, len(rows) - 1), label="row")
    if rows[r]:
        c = data.draw(st.integers(0, len(rows[r]) - 1), label="column")
        rows[r][c] = data.draw(VALUES, label="value")


def _column(files: PlanFiles, data: st.DataObject) -> None:
    _, rows = _file(files, data)
    width = min(len(r) for r in rows)
    if width < 2:
        return
    a, b = data.draw(st.integers(0, width - 1)), data.draw(st.integers(0, width - 1))
    how = data.draw(st.sampled_from(["delete", "duplicate", "swap", "swap data", "rename"]))
    for i, row in enumerate(rows):
        if how == "delete":
            del row[a]
        elif how == "duplicate":
            row.insert(b, row[a])
        elif how == "swap" or (how == "swap data" and i > 0):
            row[a], row[b] = row[b], row[a]
        elif how == "rename" and i == 0:
            row[a] = data.draw(st.sampled_from(["uge", "Week", " week ", "", "navn", "wave.1"]) | st.text(max_size=8))


def _rows(files: PlanFiles, data: st.DataObject) -> None:
    _, rows = _file(files, data)
    how = data.draw(st.sampled_from(["header only", "duplicate", "delete", "blank", "ragged", "short"]))
    r = data.draw(st.integers(1, max(1, len(rows) - 1)))
    if how == "header only":
        del rows[1:]
    elif how == "duplicate" and len(rows) > 1:
        rows.extend([list(rows[min(r, len(rows) - 1)]) for _ in range(data.draw(st.integers(1, 300)))])
    elif how == "delete" and len(rows) > 1:
        del rows[min(r, len(rows) - 1)]
    elif how == "blank":
        rows.insert(r, [])
    elif how == "ragged" and len(rows) > 1:
        rows[min(r, len(rows) - 1)].extend(["x"] * data.draw(st.integers(1, 3)))
    elif how == "short" and len(rows) > 1:
        rows[min(r, len(rows) - 1)] = rows[min(r, len(rows) - 1)][:1]


def _format(files: PlanFiles, data: st.DataObject) -> None:
    name, _ = _file(files, data)
    how = data.draw(st.sampled_from(["semicolon", "tab", "crlf", "bom", "latin-1", "utf-16"]))
    if how in ("semicolon", "tab"):
        files.sep[name] = ";" if how == "semicolon" else "\t"
    elif how == "crlf":
        files.newline[name] = "\r\n"
    elif how == "bom":
        files.encoding[name] = "utf-8-sig"
    else:
        files.encoding[name] = how


def _bytes(files: PlanFiles, data: st.DataObject) -> None:
    name, _ = _file(files, data)
    how = data.draw(st.sampled_from(["empty", "cut", "quote", "delete", "nul"]))
    at = data.draw(st.integers(0, 2000))
    if how == "delete":
        files.deleted.add(name)
        return
    damage = {
        "empty": lambda b: b"",
        "cut": lambda b: b[: at % (len(b) + 1)],
        "quote": lambda b: b[: at % (len(b) + 1)] + b'"' + b[at % (len(b) + 1) :],
        "nul": lambda b: b[: at % (len(b) + 1)] + b"\x00" + b[at % (len(b) + 1) :],
    }[how]
    files.damage.setdefault(name, []).append(damage)


def _toml(files: PlanFiles, data: st.DataObject) -> None:
    how = data.draw(st.sampled_from(["capacity", "title", "unknown", "garbage"]))
    value = data.draw(
        st.sampled_from(["nan", "inf", "-inf", "-1", "0", "1e308", "99999999999999999999", '"8"', '"otte"', "true"])
        | st.floats().map(lambda f: repr(f).replace("nan", "nan").replace("inf", "inf"))
    )
    if how == "capacity":
        files.toml = f"consultant_capacity_hours = {value}\n"
    elif how == "title":
        files.toml = f"title = {value}\n"
    elif how == "unknown":
        files.toml += "kapacitet = 8\n"
    else:
        files.toml = data.draw(st.text(max_size=40))


MUTATIONS: tuple[Mutation, ...] = (_cell, _cell, _cell, _column, _rows, _format, _bytes, _toml)


def _broken_plan(data: st.DataObject) -> PlanFiles:
    files = PlanFiles()
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        data.draw(st.sampled_from(MUTATIONS), label="mutation")(files, data)
    return files


@given(st.data())
def test_a_broken_plan_loads_and_runs_or_is_refused_in_danish(data: st.DataObject) -> None:
    files = _broken_plan(data)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plan"
        files.write(folder)
        try:
            plan = load_plan(folder)
        except PlanError as exc:
            assert exc.problems
            assert not ENGLISH.search(str(exc)), str(exc)
            return
        findings = check(plan, schedule(plan))
        assert set(findings["severity"]) <= {"error", "warning"}


COMMANDS = (("schedule", "--format", "csv"), ("schedule",), ("check",))


@given(st.data())
def test_the_command_line_exits_0_1_or_2_on_a_broken_plan_without_an_exception(data: st.DataObject) -> None:
    files = _broken_plan(data)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plan"
        files.write(folder)
        command = data.draw(st.sampled_from([*COMMANDS, ("export", "--out", str(Path(tmp) / "u.xlsx"))]))
        out, err = io.StringIO(), io.StringIO()
        # In-process: an exception escaping main is the traceback a user would see.
        code = main([*command, "--data", str(folder)], out=out, err=err)
        assert code in (0, 1, 2)
        if code == 2:
            assert err.getvalue().startswith("Planen kan ikke bruges:\n")
            assert out.getvalue() == ""
            assert not ENGLISH.search(err.getvalue()), err.getvalue()
