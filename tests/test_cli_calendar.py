"""`python -m planner calendar`, run as a user runs it: a real process writing a real .ics file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pandas as pd
import vobject
from conftest import EditCsv

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", "calendar", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env=os.environ | env,
    )


def test_a_department_by_name_writes_its_calendar(tmp_path: Path) -> None:
    out = tmp_path / "born.ics"
    result = _run("--out", str(out), "--department", "Børn & Familie", PLANNER_PUBLIC_URL="https://planner.example")
    assert result.returncode == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = calendar.walk("VEVENT")
    assert result.stdout.startswith(f"Skrev {out} ({len(events)} begivenheder, ")
    assert str(calendar["X-WR-CALNAME"]) == "MFR-udrulning – Børn & Familie"
    workshop = next(e for e in events if str(e["SUMMARY"]).startswith("Workshop"))
    assert "https://planner.example/min-afdeling?afdeling=born-og-familie" in str(workshop["DESCRIPTION"])
    assert len(vobject.readOne(out.read_text(encoding="utf-8")).vevent_list) == len(events)


def test_a_unit_by_slug_and_the_whole_plan(tmp_path: Path) -> None:
    unit, whole = tmp_path / "unit.ics", tmp_path / "all.ics"
    assert _run("--out", str(unit), "--unit", "kultur-og-fritid").returncode == 0
    assert _run("--out", str(whole)).returncode == 0
    unit_events = icalendar.Calendar.from_ical(unit.read_bytes()).walk("VEVENT")
    all_events = icalendar.Calendar.from_ical(whole.read_bytes()).walk("VEVENT")
    assert any(str(e["SUMMARY"]) == "Workshop for ledere og administrative – Kultur & Fritid" for e in unit_events)
    assert {str(e["UID"]) for e in unit_events} < {str(e["UID"]) for e in all_events}


def test_the_calendar_id_setting_names_the_uids(tmp_path: Path) -> None:
    out = tmp_path / "p.ics"
    assert _run("--out", str(out), PLANNER_CALENDAR_ID="mfr-albertslund").returncode == 0
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert "b1/born-familie/workshop@mfr-albertslund" in uids


def test_an_unknown_department_exits_2_and_lists_the_known_ones(tmp_path: Path) -> None:
    out = tmp_path / "x.ics"
    result = _run("--out", str(out), "--department", "Skatten")
    assert result.returncode == 2
    assert "Afdelingen 'Skatten' findes ikke i planen" in result.stderr
    assert "Ældre, Sundhed & Social; Borger & Arbejdsmarked" in result.stderr
    assert not out.exists()
    result = _run("--out", str(out), "--unit", "Skatten")
    assert result.returncode == 2 and "Enheden 'Skatten' findes ikke" in result.stderr


def test_department_and_unit_together_are_refused_by_the_parser(tmp_path: Path) -> None:
    result = _run("--out", str(tmp_path / "x.ics"), "--department", "Børn & Familie", "--unit", "Ejendomme")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_a_bad_pinned_time_exits_2_naming_file_row_and_field(plan_dir: Path, edit_csv: EditCsv) -> None:
    edit_csv(
        "tasks", lambda t: t.assign(weekday=["tirsdag"] + [""] * (len(t) - 1), time=["10:75"] + [""] * (len(t) - 1))
    )
    result = _run("--out", str(plan_dir / "x.ics"), "--data", str(plan_dir))
    assert result.returncode == 2
    assert "tasks.csv, række 2, felt 'time': '10:75' er ikke et klokkeslæt; skriv fx 10:00" in result.stderr
    assert not (plan_dir / "x.ics").exists()


def test_pinned_times_from_a_plan_folder_become_timed_events(plan_dir: Path, edit_csv: EditCsv) -> None:
    edit_csv(
        "tasks", lambda t: t.assign(weekday=["tirsdag"] + [""] * (len(t) - 1), time=["13.30"] + [""] * (len(t) - 1))
    )
    out = plan_dir / "p.ics"
    assert _run("--out", str(out), "--data", str(plan_dir)).returncode == 0
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    talk = next(e for e in events if str(e["SUMMARY"]) == "Præsentation af MFR for Chefforum")
    assert talk.decoded("DTSTART").isoformat() == "2026-01-20T13:30:00+01:00"
    assert talk.decoded("DTEND") - talk.decoded("DTSTART") == pd.Timedelta(hours=1)
