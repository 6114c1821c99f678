"""RFC 5545 content lines: TEXT escaping, 75-octet folding, date-times and the Copenhagen VTIMEZONE.

The calendar export writes its event lines with these instead of icalendar's components, which fold
property by property at about half a millisecond per event; the tests read every line back with
icalendar and vobject.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

__all__ = [
    "TZID",
    "copenhagen_vtimezone",
    "escape_text",
    "escaped_text",
    "fold_line",
    "ical_date",
    "ical_local",
    "ical_utc",
    "one_line",
    "prop_line",
    "text_line",
]

TZID = "Europe/Copenhagen"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(text: str) -> str:
    """Return `text` escaped as an RFC 5545 TEXT value (backslash, semicolon, comma, newline)."""
    # RFC 5545 3.3.11 TEXT, in icalendar's order; other control characters are not allowed at all.
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _CONTROL.sub(" ", text)


# Lines such as participants and sources repeat across thousands of events: escape each once.
escaped_text = lru_cache(maxsize=16384)(escape_text)


def one_line(text: str) -> str:
    """Return `text` on one line: a SUMMARY is a subject line, so a newline in a name becomes a space."""
    return " ".join(text.split())


def fold_line(line: str) -> str:
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


def prop_line(name: str, value: str) -> str:
    """Return `NAME:value`, folded; the value is written as it is."""
    return fold_line(f"{name}:{value}")


def text_line(name: str, value: str) -> str:
    """Return `NAME:value` with the value escaped as TEXT, folded."""
    return fold_line(f"{name}:{escape_text(value)}")


@lru_cache(maxsize=4096)
def ical_date(day: dt.date) -> str:
    """Return a DATE value: `20260309`."""
    return day.strftime("%Y%m%d")


def ical_local(moment: dt.datetime) -> str:
    """Return a local DATE-TIME value (used with TZID): `20260310T100000`."""
    return moment.strftime("%Y%m%dT%H%M%S")


def ical_utc(moment: dt.datetime) -> str:
    """Return a UTC DATE-TIME value: `20260310T090000Z`."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@lru_cache(maxsize=1)
def copenhagen_vtimezone() -> Timezone:
    """Return the VTIMEZONE of Europe/Copenhagen as yearly rules."""
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
