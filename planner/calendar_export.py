"""The plan as an RFC 5545 calendar (.ics) for Outlook: its meetings, workshops, deadlines and milestones.

Each activity is an event in its ISO week: all-day across the week(s), or a timed event in
Europe/Copenhagen when the plan pins a weekday and time. An event's UID is its activity key at the
plan's identity, so importing a newer file (or polling a subscription) updates events instead of
duplicating them; SEQUENCE is the revision in which the event last changed (see `calendar_versions`).

`icalendar` builds the calendar object and its time zone. The events themselves are written here as
content lines, escaped and folded exactly as `icalendar` does (the tests hold the two together):
icalendar's per-property folding costs about half a millisecond per event, 8 s for the large plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import pandas as pd
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur, vText

from .calendar_versions import Version
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

TZID = "Europe/Copenhagen"
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
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class CalendarError(ValueError):
    """A calendar was asked for a department or unit the plan does not have."""


def plan_identity(title: str, override: str | None = None) -> str:
    """Return the part of every UID that names the plan: `override`, or the slug of the plan's title.

    The app passes the title the plan was first saved with, so renaming the plan keeps its UIDs;
    a new plan (next year's, a training copy) gets a new title and so events of its own.
    """
    return slug(override) if override and override.strip() else slug(title)


def status_of(plan: Plan) -> dict[str, str]:
    """Return each activity's status by key from the plan's `status` table, once the plan has one."""
    table = plan.tables().get("status")
    if table is None or not {"activity_key", "status"} <= set(table.columns):
        return {}
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


def _escape(text: str) -> str:
    # RFC 5545 3.3.11 TEXT, in icalendar's order; other control characters are not allowed at all.
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _CONTROL.sub(" ", text)


_escaped = lru_cache(maxsize=16384)(_escape)


def _one_line(text: str) -> str:
    """Return `text` on one line: a SUMMARY is a subject line, so a newline in a name becomes a space."""
    return " ".join(text.split())


def _fold(line: str) -> str:
    """Fold a content line into 75-octet pieces (RFC 5545 3.1), never inside a character or an escape."""
    if len(line) <= 75 and line.isascii():  # most lines: no need to count octets
        return line
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: æ, ø, å stay whole
            end -= 1
        backslashes = 0
        while end - 1 - backslashes >= start and data[end - 1 - backslashes] == 0x5C:
            backslashes += 1
        if backslashes % 2:  # keep `\,` `\;` `\n` `\\` on one piece, as some clients need
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, 74  # a continuation line starts with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _prop(name: str, value: str) -> str:
    return _fold(f"{name}:{value}")


def _text(name: str, value: str) -> str:
    return _fold(f"{name}:{_escape(value)}")


@lru_cache(maxsize=4096)
def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(row: _Row) -> tuple[list[str], dt.date, bool]:
    """Return DTSTART/DTEND lines, the first day, and whether the event is timed."""
    monday = pd.Timestamp(row["start_date"]).date()
    weekday = str(row["weekday"] or "")
    if not weekday:
        last = pd.Timestamp(row["end_date"]).date()
        return [f"DTSTART;VALUE=DATE:{_date(monday)}", f"DTEND;VALUE=DATE:{_date(last + _DAY)}"], monday, False
    day = monday + WEEKDAYS.index(weekday) * _DAY
    time = str(row["time"] or "")
    if not time:
        return [f"DTSTART;VALUE=DATE:{_date(day)}", f"DTEND;VALUE=DATE:{_date(day + _DAY)}"], day, False
    hours: float = 0.0 if pd.isna(row["hours"]) else float(row["hours"])
    length = dt.timedelta(hours=hours) if hours > 0 else _HOUR
    # Wall-clock arithmetic in Copenhagen time: the clocks change on Sunday nights, never during a meeting.
    begin = dt.datetime.combine(day, dt.time.fromisoformat(time))
    return [f"DTSTART;TZID={TZID}:{_local(begin)}", f"DTEND;TZID={TZID}:{_local(begin + length)}"], day, True


@lru_cache(maxsize=1024)
def _page_link(public_url: str | None, department: str) -> str:
    if not public_url:
        return ""
    base = public_url.rstrip("/")
    return f"{base}/min-afdeling?afdeling={quote(slug(department))}" if department else f"{base}/overblik"


def _activity_lines(row: _Row, status: str, public_url: str | None) -> tuple[list[str], dt.date]:
    when, first_day, timed = _when(row)
    unit, department, activity = str(row["unit"]), str(row["department"]), str(row["activity"])
    kind = str(row["kind"])
    summary = _one_line(f"{activity} – {unit}" if unit else activity)
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
        _text("SUMMARY", summary),
        # Line by line: most lines (participants, source, unit) repeat across events, so each is escaped once.
        _fold("DESCRIPTION:" + "\\n".join(_escaped(line) for line in description)),
        *_constant_lines(kind, ical_status),
        *_busy(timed and kind not in FINANCE_KINDS),
    ]
    if link:
        lines.append(_prop("URL", link))
    return lines, first_day


@lru_cache(maxsize=64)
def _constant_lines(kind: str, ical_status: str) -> tuple[str, str]:
    return _text("CATEGORIES", ACTIVITY_KINDS.get(kind, kind)), _prop("STATUS", ical_status)


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
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + _DAY)}",
        _text("SUMMARY", _one_line(str(row["title"]))),
        _text("DESCRIPTION", "\n".join(description)),
        _fold("CATEGORIES:" + ",".join(_escape(c) for c in ("milepæl", kind))),
        "STATUS:CONFIRMED",
        *_busy(False),
    ]
    if link:
        lines.append(_prop("URL", link))
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


@lru_cache(maxsize=1)
def _vtimezone() -> Timezone:
    # The EU rule (last Sunday of March and of October, 01:00 UTC) as yearly rules: the form Outlook and
    # Exchange write themselves. icalendar's `Timezone.from_tzid` lists dates instead and puts the
    # spring change at 03:00 local time rather than 02:00. The tests compare it with zoneinfo.
    tz = Timezone()
    tz.add("TZID", TZID)
    tz.add("X-LIC-LOCATION", TZID)
    for part, (offset_from, offset_to), name, start, month in (
        (TimezoneDaylight(), (1, 2), "CEST", dt.datetime(1970, 3, 29, 2), 3),
        (TimezoneStandard(), (2, 1), "CET", dt.datetime(1970, 10, 25, 3), 10),
    ):
        part.add("TZOFFSETFROM", dt.timedelta(hours=offset_from))
        part.add("TZOFFSETTO", dt.timedelta(hours=offset_to))
        part.add("TZNAME", name)
        part.add("DTSTART", start)
        part.add("RRULE", vRecur({"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"}))
        tz.add_component(part)
    return tz


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
        cal.add(prop, vText(_one_line(name)))
    if description:
        cal.add("X-WR-CALDESC", vText(_one_line(description)))
    cal.add("X-WR-TIMEZONE", TZID)
    # Subscribed calendars are polled hourly (RFC 7986; Outlook reads X-PUBLISHED-TTL).
    cal.add("REFRESH-INTERVAL", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", "PT1H")
    ordered = events.sort_values(["start", "key"], kind="stable")
    if ordered["lines"].str.contains(f"TZID={TZID}", regex=False).any():
        cal.add_component(_vtimezone())
    head = cal.to_ical().decode("utf-8").removesuffix("END:VCALENDAR\r\n")
    fallback = _utc(stamp or dt.datetime.now(dt.UTC))
    parts = [head]
    versions = versions or {}
    for key, lines in zip(ordered["key"], ordered["lines"], strict=True):
        version = versions.get(key)
        if version is None:
            header = f"DTSTAMP:{fallback}\r\nSEQUENCE:0"
        else:
            changed = _utc(version.modified)
            header = f"DTSTAMP:{changed}\r\nLAST-MODIFIED:{changed}\r\nSEQUENCE:{version.sequence}"
        parts.append(f"BEGIN:VEVENT\r\n{_text('UID', _uid(key, plan_id))}\r\n{header}\r\n{lines}\r\nEND:VEVENT\r\n")
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
    """Return the .ics calendar of the whole plan, one department or one unit (ids), in one call."""
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
