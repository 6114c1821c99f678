"""The plan as an RFC 5545 calendar (.ics) for Outlook: its meetings, workshops, deadlines and milestones.

Each activity is an event in its ISO week: all-day across the week(s), or a timed event in
Europe/Copenhagen when the plan pins a weekday and time. An event's UID is its activity key at the
plan's identity, so importing a newer file (or polling a subscription) updates events instead of
duplicating them; SEQUENCE is the revision in which the event last changed (see `calendar_versions`).

`icalendar` builds the calendar object and its time zone. The events are written as content lines
(`ics_lines`), escaped and folded as `icalendar` does (the tests read every file back with icalendar
and vobject): icalendar's per-property folding costs about half a millisecond per event, 8 s for the
large plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import pandas as pd
from icalendar import Calendar, vText

from .calendar_versions import Version
from .ics_lines import (
    TZID,
    copenhagen_vtimezone,
    escape_text,
    escaped_text,
    fold_line,
    ical_date,
    ical_local,
    ical_utc,
    one_line,
    prop_line,
    text_line,
)
from .isoweeks import parse_week, week_label
from .model import Plan
from .schema import ACTIVITY_KINDS, BUDGET_STEPS, MILESTONE_KINDS, WEEKDAYS
from .texts import hours_text
from .views import slug

__all__ = [
    "CALENDAR_KINDS",
    "FINANCE_KINDS",
    "STATUS_ICAL",
    "TZID",
    "CalendarError",
    "calendar_events",
    "calendar_filename",
    "calendar_name",
    "export_calendar",
    "plan_identity",
    "select_events",
    "status_of",
    "write_calendar",
]

PRODID = "-//Albertslund Kommune//MFR-planlægger//DA"
# Everyone's calendar holds these; a leader's own economic follow-up is work in MFR over two weeks,
# not an appointment, and stays in the week plan.
CALENDAR_KINDS: tuple[str, ...] = ("meeting", "workshop", "deadline")
# Økonomi & Stab's consultants send the invitations and do the preparations: only their calendar
# (and the whole plan's) has them, as all-day events shown as free, because Outlook does not import
# tasks (VTODO) from an .ics file.
FINANCE_KINDS: tuple[str, ...] = ("invitation", "preparation")
# The status table's values (planlagt, i gang, gennemført, udskudt, aflyst) as RFC 5545 STATUS.
STATUS_ICAL: dict[str, str] = {"udskudt": "TENTATIVE", "aflyst": "CANCELLED"}
EVENT_COLUMNS: tuple[str, ...] = ("key", "department_id", "unit_id", "kind", "start", "lines", "fingerprint")

_FINANCE_DEPARTMENT = "okonomi-og-stab"  # slug of "Økonomi & Stab", whose consultants run the rollout
_DAY = dt.timedelta(days=1)
_HOUR = dt.timedelta(hours=1)  # a pinned time without hours in the plan
_Row = Mapping[Hashable, Any]  # one record of a DataFrame


class CalendarError(ValueError):
    """A calendar was asked for a department or unit the plan does not have."""


def plan_identity(title: str, override: str | None = None) -> str:
    """Return the part of every UID that names the plan: `override`, or the slug of the plan's title.

    The app passes the title the plan was first saved with, so renaming the plan keeps its UIDs;
    a new plan (next year's, a training copy) gets a new title and so events of its own.
    """
    return slug(override) if override and override.strip() else slug(title)


def status_of(plan: Plan) -> dict[str, str]:
    """Return each activity's status by key from the plan's `status` table (a missing row means planlagt)."""
    table = plan.status
    return dict(zip(table["activity_key"].astype(str), table["status"].astype(str), strict=True))


def calendar_name(plan: Plan, *, department: str | None = None, unit: str | None = None) -> str:
    """Return the name Outlook shows for the calendar: `MFR-udrulning – Børn & Familie`."""
    if unit:
        return f"MFR-udrulning – {_name_of(plan.units, 'unit_id', unit)}"
    if department:
        return f"MFR-udrulning – {_name_of(plan.departments, 'department_id', department)}"
    return "MFR-udrulning – hele planen"


def calendar_filename(plan: Plan, *, department: str | None = None, unit: str | None = None) -> str:
    """Return a safe file name: `mfr-kalender-born-og-familie.ics`."""
    name = calendar_name(plan, department=department, unit=unit).removeprefix("MFR-udrulning – ")
    return f"mfr-kalender-{slug(name)}.ics"


def _name_of(table: pd.DataFrame, id_column: str, value: str) -> str:
    hit = table.loc[table[id_column] == value, "name"]
    if hit.empty:
        raise CalendarError(f"'{value}' findes ikke i planen")
    return str(hit.iloc[0])


def _when(row: _Row) -> tuple[list[str], dt.date, bool]:
    """Return DTSTART/DTEND lines, the first day, and whether the event is timed."""
    monday = pd.Timestamp(row["start_date"]).date()
    weekday = str(row["weekday"] or "")
    if not weekday:
        last = pd.Timestamp(row["end_date"]).date()
        return [f"DTSTART;VALUE=DATE:{ical_date(monday)}", f"DTEND;VALUE=DATE:{ical_date(last + _DAY)}"], monday, False
    day = monday + WEEKDAYS.index(weekday) * _DAY
    time = str(row["time"] or "")
    if not time:
        return [f"DTSTART;VALUE=DATE:{ical_date(day)}", f"DTEND;VALUE=DATE:{ical_date(day + _DAY)}"], day, False
    hours: float = 0.0 if pd.isna(row["hours"]) else float(row["hours"])
    length = dt.timedelta(hours=hours) if hours > 0 else _HOUR
    # Wall-clock arithmetic in Copenhagen time: the clocks change on Sunday nights, never during a meeting.
    begin = dt.datetime.combine(day, dt.time.fromisoformat(time))
    return [f"DTSTART;TZID={TZID}:{ical_local(begin)}", f"DTEND;TZID={TZID}:{ical_local(begin + length)}"], day, True


@lru_cache(maxsize=1024)
def _page_link(public_url: str | None, department: str) -> str:
    if not public_url:
        return ""
    base = public_url.rstrip("/")
    # Overblik is the app's default page: it is served at the root, not at its url_path.
    return f"{base}/min-afdeling?afdeling={quote(slug(department))}" if department else f"{base}/"


def _activity_lines(row: _Row, status: str, public_url: str | None) -> tuple[list[str], dt.date]:
    when, first_day, timed = _when(row)
    unit, department, activity = str(row["unit"]), str(row["department"]), str(row["activity"])
    kind = str(row["kind"])
    summary = one_line(f"{activity} – {unit}" if unit else activity)
    weeks = _weeks_text(str(row["start_week"]), str(row["end_week"]))
    description = [f"{ACTIVITY_KINDS.get(kind, kind).capitalize()} i {weeks}."]
    if not timed:
        description.append(
            "Planen fastlægger dagen; tidspunktet aftales." if row["weekday"] else "Planen fastlægger kun ugen."
        )
    if unit:
        description.append(f"Enhed: {unit}" + (f" ({department})" if department and department != unit else ""))
    if row["wave_name"]:
        description.append(f"Bølge: {row['wave_name']}")
    hours = _hours_text(row["hours"])
    if hours:
        description.append(f"Varighed: {hours}")
    for label, column in (("Deltagere", "participants"), ("Ansvarlig", "lead"), ("Kilde", "source")):
        if row[column]:
            description.append(f"{label}: {row[column]}")
    if status:
        description.append(f"Status: {status}")
    link = _page_link(public_url, department)
    if link:
        description.append(f"Planen: {link}")
    ical_status = STATUS_ICAL.get(status, "CONFIRMED")
    if ical_status == "CANCELLED":
        summary = f"AFLYST: {summary}"
    lines = [
        *when,
        text_line("SUMMARY", summary),
        # Line by line: most lines (participants, source, unit) repeat across events, so each is escaped once.
        fold_line("DESCRIPTION:" + "\\n".join(escaped_text(line) for line in description)),
        *_constant_lines(kind, ical_status),
        *_busy(timed and kind not in FINANCE_KINDS),
    ]
    if link:
        lines.append(prop_line("URL", link))
    return lines, first_day


@lru_cache(maxsize=64)
def _constant_lines(kind: str, ical_status: str) -> tuple[str, str]:
    return text_line("CATEGORIES", ACTIVITY_KINDS.get(kind, kind)), prop_line("STATUS", ical_status)


def _busy(busy: bool) -> list[str]:
    # A week-long all-day event must not block the week in Outlook's scheduling: show it as free.
    if busy:
        return ["TRANSP:OPAQUE", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY"]
    return ["TRANSP:TRANSPARENT", "X-MICROSOFT-CDO-BUSYSTATUS:FREE"]


@lru_cache(maxsize=64)
def _hours_text(hours: float) -> str:
    return hours_text(hours)


@lru_cache(maxsize=512)
def _weeks_text(first: str, last: str) -> str:
    start, end = parse_week(first), parse_week(last)
    if start == end:
        return week_label(start, with_year=True)
    if start.year == end.year:
        return f"uge {start.week}–{end.week} {start.year}"
    return f"{week_label(start, with_year=True)} – {week_label(end, with_year=True)}"


def _milestone_lines(row: _Row, public_url: str | None) -> tuple[list[str], dt.date]:
    day = pd.Timestamp(row["date"]).date()
    kind = MILESTONE_KINDS.get(str(row["kind"]), str(row["kind"]))
    description = [f"Milepæl ({kind}) den {day:%d.%m.%Y}.", f"Forum: {row['body']}"]
    if row["budget_step"]:
        description.append(f"Budgettrin: {BUDGET_STEPS.get(str(row['budget_step']), row['budget_step'])}")
    if row["source"]:
        description.append(f"Kilde: {row['source']}")
    link = _page_link(public_url, "")
    if link:
        description.append(f"Planen: {link}")
    lines = [
        f"DTSTART;VALUE=DATE:{ical_date(day)}",
        f"DTEND;VALUE=DATE:{ical_date(day + _DAY)}",
        text_line("SUMMARY", one_line(str(row["title"]))),
        text_line("DESCRIPTION", "\n".join(description)),
        fold_line("CATEGORIES:" + ",".join(escape_text(c) for c in ("milepæl", kind))),
        "STATUS:CONFIRMED",
        *_busy(False),
    ]
    if link:
        lines.append(prop_line("URL", link))
    return lines, day


def calendar_events(
    schedule: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    status: Mapping[str, str] | None = None,
    public_url: str | None = None,
) -> pd.DataFrame:
    """Return every event of the plan, columns `EVENT_COLUMNS`: its key, owner, and content lines.

    `status` maps an activity key to its status (`aflyst` becomes STATUS:CANCELLED); `public_url` is
    the app's address, for a link to the department's page. The fingerprint covers every line that
    describes the event, so two revisions with equal fingerprints show the user the same event.
    """
    status = status or {}
    kinds = set(CALENDAR_KINDS) | set(FINANCE_KINDS)
    rows: list[tuple[str, str, str, str, dt.date, str]] = []
    for r in _records(schedule[schedule["kind"].isin(kinds)]):
        key = str(r["activity_key"])
        lines, first = _activity_lines(r, status.get(key, ""), public_url)
        rows.append((key, str(r["department_id"]), str(r["unit_id"]), str(r["kind"]), first, "\r\n".join(lines)))
    for r in _records(milestones):
        lines, first = _milestone_lines(r, public_url)
        rows.append((f"milepael/{r['milestone_id']}", "", "", "milestone", first, "\r\n".join(lines)))
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS[:-1]))
    frame["fingerprint"] = [hashlib.blake2b(t.encode("utf-8"), digest_size=12).hexdigest() for t in frame["lines"]]
    return frame


def _records(frame: pd.DataFrame) -> list[dict[Hashable, Any]]:
    # Column by column: `to_dict("records")` boxes every Arrow string one at a time, three times slower.
    names = list(frame.columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*(frame[c].tolist() for c in names), strict=True)]


def select_events(
    events: pd.DataFrame, plan: Plan, *, department: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Return the events of one calendar: the whole plan, one department's or one unit's.

    A department's or unit's calendar has its own meetings, workshops and deadlines, those of the
    whole plan (no unit, such as Chefforum's) and every milestone; Økonomi & Stab's also has every
    invitation and preparation, because its consultants do them.
    """
    if unit is not None:
        _name_of(plan.units, "unit_id", unit)
        mine = events["unit_id"] == unit
        finance = False
    elif department is not None:
        name = _name_of(plan.departments, "department_id", department)
        mine = events["department_id"] == department
        finance = slug(name) == _FINANCE_DEPARTMENT
    else:
        return events
    shared = events["unit_id"] == ""
    common = events["kind"].isin([*CALENDAR_KINDS, "milestone"])
    keep = (mine | shared) & common
    if finance:
        keep |= events["kind"].isin(FINANCE_KINDS)
    return events[keep]


def write_calendar(
    events: pd.DataFrame,
    *,
    plan_id: str,
    name: str,
    description: str = "",
    versions: Mapping[str, Version] | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Return the .ics file of `events` (from `calendar_events`/`select_events`), UTF-8 with CRLF lines.

    `versions` gives each event's SEQUENCE and LAST-MODIFIED (the revision it last changed in); DTSTAMP
    equals LAST-MODIFIED as RFC 5545 3.8.7.2 asks of a calendar without METHOD, so one revision always
    gives the same bytes. Without versions, SEQUENCE is 0 and DTSTAMP is `stamp` (default: now).
    """
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    # As TEXT explicitly: icalendar 7.3 types NAME and X-WR-* as unknown and would not escape a comma,
    # which cuts "Kultur, Fritid & Ejendomme" short in vobject and Outlook.
    for prop in ("NAME", "X-WR-CALNAME"):
        cal.add(prop, vText(one_line(name)))
    if description:
        cal.add("X-WR-CALDESC", vText(one_line(description)))
    cal.add("X-WR-TIMEZONE", TZID)
    # Subscribed calendars are polled hourly (RFC 7986; Outlook reads X-PUBLISHED-TTL).
    cal.add("REFRESH-INTERVAL", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", "PT1H")
    ordered = events.sort_values(["start", "key"], kind="stable")
    if ordered["lines"].str.contains(f"TZID={TZID}", regex=False).any():
        cal.add_component(copenhagen_vtimezone())
    head = cal.to_ical().decode("utf-8").removesuffix("END:VCALENDAR\r\n")
    fallback = ical_utc(stamp or dt.datetime.now(dt.UTC))
    parts = [head]
    versions = versions or {}
    for key, lines in zip(ordered["key"], ordered["lines"], strict=True):
        version = versions.get(key)
        if version is None:
            header = f"DTSTAMP:{fallback}\r\nSEQUENCE:0"
        else:
            changed = ical_utc(version.modified)
            header = f"DTSTAMP:{changed}\r\nLAST-MODIFIED:{changed}\r\nSEQUENCE:{version.sequence}"
        parts.append(f"BEGIN:VEVENT\r\n{text_line('UID', _uid(key, plan_id))}\r\n{header}\r\n{lines}\r\nEND:VEVENT\r\n")
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts).encode("utf-8")


def _uid(key: str, plan_id: str) -> str:
    # Keys are made of ids users type: keep them readable but ASCII, as some clients compare bytes.
    return f"{quote(key, safe='/-_.~')}@{plan_id}"


def export_calendar(
    plan: Plan,
    schedule: pd.DataFrame,
    *,
    department: str | None = None,
    unit: str | None = None,
    plan_id: str | None = None,
    versions: Mapping[str, Version] | None = None,
    status: Mapping[str, str] | None = None,
    public_url: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Return the .ics calendar of the whole plan, one department or one unit (ids), in one call.

    `status` maps activity keys to their status; by default it is the plan's own status table.
    """
    status = status_of(plan) if status is None else status
    if department is not None or unit is not None:
        # Only rows that might belong (a superset of `select_events`): a department of a large plan
        # then costs its own events, not the whole plan's.
        mine = schedule["unit_id"] == unit if unit is not None else schedule["department_id"] == department
        schedule = schedule[mine | (schedule["unit_id"] == "") | schedule["kind"].isin(FINANCE_KINDS)]
    events = select_events(
        calendar_events(schedule, plan.milestones, status=status, public_url=public_url),
        plan,
        department=department,
        unit=unit,
    )
    return write_calendar(
        events,
        plan_id=plan_id or plan_identity(plan.settings.title),
        name=calendar_name(plan, department=department, unit=unit),
        description=plan.settings.title,
        versions=versions,
        stamp=stamp,
    )
