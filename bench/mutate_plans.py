"""Mutation test of the sample plan: ~1,050 broken copies of data/, each through `schedule` and `check`.

Run: `.venv/bin/python bench/mutate_plans.py` (a few minutes). Every mutant is a copy of `data/` with
one thing broken (a cell, a file's encoding or layout, plan.toml, or a file made huge), run through
the command line in this process: `schedule --format csv` and `check`. Each run is counted as
ok (exit 0/1), refused (exit 2 with a message), traceback (an exception escaped) or hang (over
`--timeout` seconds); refusals whose message carries English parser text are counted apart.

`--planner DIR` imports the planner package from another checkout, e.g. an older commit unpacked
with `git archive <commit> planner | tar -x -C /tmp/before`, to measure before and after in one way.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# Bad cell values: text, empty, non-finite and huge numbers, negative, extreme weeks, months and dates.
CELL_VALUES = (
    "",
    "abc",
    "inf",
    "-inf",
    "nan",
    "1e308",
    "-1e308",
    "99999999999999999999",
    "-1",
    "0001-W01",
    "0226-W10",
    "9999-W52",
    "0001-01",
    "0226-05",
    "0001-01-01",
    "=1+1",
)
# English words from pandas', numpy's and Python's own error texts; Danish messages contain none.
_ENGLISH = re.compile(
    r"\b(error|expected|tokenizing|columns to parse|EOF|saw|unable|could not|invalid|bounds|inside string|"
    r"fields in line|out of|not|cannot|field larger)\b",
    re.IGNORECASE,
)

Mutation = Callable[[Path], None]
_WORST_FIRST = ("hang", "traceback", "bad-exit", "english", "garbled", "accepted", "refused", "ok")


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[list[str]], sep: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _set_cell(name: str, column: int, value: str) -> Mutation:
    def apply(folder: Path) -> None:
        rows = _rows(folder / name)
        rows[1][column] = value
        _write(folder / name, rows)

    return apply


def _columns(name: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Mutation:
    def apply(folder: Path) -> None:
        _write(folder / name, change(_rows(folder / name)))

    return apply


def _semicolons(name: str) -> Mutation:
    def apply(folder: Path) -> None:
        _write(folder / name, _rows(folder / name), ";")

    return apply


def _bytes(name: str, change: Callable[[bytes], bytes]) -> Mutation:
    def apply(folder: Path) -> None:
        path = folder / name
        path.write_bytes(change(path.read_bytes()))

    return apply


def _new_plan(names: tuple[str, ...]) -> Mutation:
    def apply(folder: Path) -> None:
        for name in names:
            path = folder / name
            path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")

    return apply


def _toml(text: str) -> Mutation:
    def apply(folder: Path) -> None:
        (folder / "plan.toml").write_text(text, encoding="utf-8")

    return apply


def _huge_tasks(folder: Path) -> None:
    # Tens of MB of valid-looking one-off tasks.
    header = (folder / "tasks.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    line = "t{0},Opgave {0},meeting,,,2026-W10,2026-W11,1,Økonomikonsulent,Økonomi & Stab,,,eksempel\n"
    with (folder / "tasks.csv").open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        out.writelines(line.format(i) for i in range(450_000))


def _duplicate_departments(folder: Path) -> None:
    path = folder / "departments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], *[lines[1]] * 20_000]) + "\n", encoding="utf-8")


# Typed columns where a negative number is a fine value (weeks before the anchor week).
_MAY_BE_NEGATIVE = frozenset({"offset_weeks", "window_from", "window_to"})


def _must_refuse(column_type: str, column: str, value: str) -> bool:
    """True when a cell value in a typed column is wrong whatever else the plan says."""
    if column_type == "text" or value == "":
        return False
    return not (value == "-1" and column in _MAY_BE_NEGATIVE)


def mutations(types: dict[tuple[str, str], str]) -> Iterator[tuple[str, Mutation, bool]]:
    """Yield (name, mutation, must be refused) for every mutant, in a fixed order.

    `types` maps (file, column) to the column's type in the schema of the planner under test.
    """
    files = sorted(p.name for p in DATA.glob("*.csv"))
    for name in files:
        header = _rows(DATA / name)[0]
        for column, title in enumerate(header):
            for value in CELL_VALUES:
                refuse = _must_refuse(types.get((name, title), "text"), title, value)
                yield f"{name}:{title}={value!r}", _set_cell(name, column, value), refuse
    for name, mutate in _file_mutations(files):
        yield name, mutate, False
    for text in ("nan", "inf", "-1", "99999999999999999999", '"otte"', "true", "[1]", "= 8"):
        yield f"plan.toml:capacity={text}", _toml(f"consultant_capacity_hours = {text}\n"), True


def _file_mutations(files: list[str]) -> Iterator[tuple[str, Mutation]]:
    for name in files:
        yield f"{name}:bom", _bytes(name, lambda b: b"\xef\xbb\xbf" + b)
        yield f"{name}:latin-1", _bytes(name, lambda b: b.decode("utf-8").encode("latin-1", "replace"))
        yield f"{name}:semicolons", _semicolons(name)
        yield f"{name}:crlf", _bytes(name, lambda b: b.replace(b"\n", b"\r\n"))
        yield f"{name}:empty", _bytes(name, lambda b: b"")
        yield f"{name}:header-only", _bytes(name, lambda b: b.split(b"\n", 1)[0] + b"\n")
        yield f"{name}:swap-data", _columns(name, lambda r: [r[0]] + [[row[1], row[0], *row[2:]] for row in r[1:]])
        yield f"{name}:swap-columns", _columns(name, lambda r: [[row[1], row[0], *row[2:]] for row in r])
        yield f"{name}:rename-first", _columns(name, lambda r: [["uge", *r[0][1:]], *r[1:]])
        yield f"{name}:drop-first", _columns(name, lambda r: [row[1:] for row in r])
        yield f"{name}:duplicate-first", _columns(name, lambda r: [[row[0], *row] for row in r])
        yield f"{name}:ragged", _bytes(name, lambda b: b.replace(b"\n", b",x,y\n", 2))
        yield f"{name}:open-quote", _bytes(name, lambda b: b.replace(b"\n", b'\n"', 2))
        yield f"{name}:rows-x3", _bytes(name, lambda b: b + b.split(b"\n", 1)[1] * 2)
        yield f"{name}:ragged-middle", _bytes(name, lambda b: b.replace(b"\n", b",x\n", 2).replace(b",x\n", b"\n", 1))
        yield f"{name}:quote-at-end", _bytes(name, lambda b: b + b'"unclosed,x\n')
        yield f"{name}:quote-junk", _bytes(name, lambda b: b.replace(b"\n", b'\n"a"b', 1))
    yield (
        "new-plan:header-only assignments, tasks, dependencies",
        _new_plan(("assignments.csv", "tasks.csv", "dependencies.csv")),
    )
    yield "new-plan:every file header-only", _new_plan(tuple(files))
    yield "tasks.csv:40MB", _huge_tasks
    yield "departments.csv:20000-duplicates", _duplicate_departments


class _HangError(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _HangError


def run_one(main: Callable[..., int], folder: Path, timeout: int) -> list[tuple[str, str]]:
    """Return (outcome, detail) for `schedule --format csv` and `check` on the plan in `folder`."""
    found = []
    for command in (["schedule", "--format", "csv"], ["check"]):
        out, err = io.StringIO(), io.StringIO()
        signal.alarm(timeout)
        try:
            code = main([*command, "--data", str(folder)], out=out, err=err)
        except _HangError:
            found.append(("hang", command[0]))
            continue
        except Exception as exc:
            found.append(("traceback", f"{command[0]}: {type(exc).__name__}: {str(exc)[:80]}"))
            continue
        finally:
            signal.alarm(0)
        if code in (0, 1):
            found.append(("ok", ""))
        elif code == 2:
            text = err.getvalue()
            found.append(("english" if _ENGLISH.search(text) else "refused", text.strip()[:160]))
        else:
            found.append(("bad-exit", str(code)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--planner", type=Path, default=ROOT, help="folder holding the planner package")
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--show", type=int, default=40, help="list this many failing mutants")
    args = parser.parse_args()
    sys.path.insert(0, str(args.planner.resolve()))
    from planner.cli import main as cli_main
    from planner.schema import TABLES

    types = {(t.file, c.name): c.type for t in TABLES.values() for c in t.columns}

    signal.signal(signal.SIGALRM, _alarm)
    plans, runs = Counter[str](), Counter[str]()
    failing: list[str] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for number, (name, mutate, must_refuse) in enumerate(mutations(types)):
            folder = Path(tmp) / f"m{number}"
            shutil.copytree(DATA, folder)
            mutate(folder)
            outcomes = run_one(cli_main, folder, args.timeout)
            shutil.rmtree(folder)
            if must_refuse:
                # A bad value that runs through as if fine is a silent error; int64 wraparound is garbled.
                outcomes = [("accepted", "exit 0/1") if k == "ok" else (k, d) for k, d in outcomes]
            outcomes = [("garbled", d) if "9223372036854775" in d else (k, d) for k, d in outcomes]
            kinds = {kind for kind, _ in outcomes}
            runs.update(kind for kind, _ in outcomes)
            worst = next(
                k
                for k in ("hang", "traceback", "bad-exit", "english", "garbled", "accepted", "refused", "ok")
                if k in kinds
            )
            plans[worst] += 1
            if worst not in ("refused", "ok"):
                detail = next(d for k, d in outcomes if k == worst)
                failing.append(f"{worst:9} {name}: {detail}")
    total = sum(plans.values())
    print(f"planner from {args.planner}: {total} mutated plans in {time.perf_counter() - t0:.0f} s")
    print("plans by worst outcome: " + ", ".join(f"{k} {v}" for k, v in plans.most_common()))
    print("command runs:           " + ", ".join(f"{k} {v}" for k, v in runs.most_common()))
    print(f"traceback or hang: {plans['traceback'] + plans['hang'] + plans['bad-exit']} plans")
    print(f"refusals in English: {runs['english']} runs; garbled numbers: {runs['garbled']} runs")
    print(f"bad values accepted silently: {plans['accepted']} plans")
    for line in failing[: args.show]:
        print("  " + line)


if __name__ == "__main__":
    main()
