"""The .ics calendar, read back by two independent parsers: icalendar and vobject."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
import pytest
import vobject
from conftest import EditCsv

from planner import PlanError, load_plan, schedule
from planner.calendar_export import (
    CalendarError,
    calendar_events,
    calendar_filename,
    calendar_name,
    export_calendar,
    plan_identity,
    select_events,
    status_of,
    write_calendar,
)
from planner.calendar_versions import Version, event_versions
from planner.model import Plan
from planner.views import slug

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STAMP = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
MOVE_WORKSHOP = {"unit_id": "born-familie", "activity_id": "workshop", "start_week": "2026-W12", "source": "eksempel"}

# One meeting on the Tuesday before and after each of 2026's clock changes (29 March, 25 October).
DST_TASKS = [
    ("dst-marts-for", "2026-W13", dt.datetime(2026, 3, 24, 9, 0, tzinfo=dt.UTC)),
    ("dst-marts-efter", "2026-W14", dt.datetime(2026, 3, 31, 8, 0, tzinfo=dt.UTC)),
    ("dst-oktober-for", "2026-W43", dt.datetime(2026, 10, 20, 8, 0, tzinfo=dt.UTC)),
    ("dst-oktober-efter", "2026-W44", dt.datetime(2026, 10, 27, 9, 0, tzinfo=dt.UTC)),
]


def _ics(plan: Plan, **kwargs: object) -> bytes:
    return export_calendar(plan, schedule(plan), stamp=STAMP, **kwargs)  # type: ignore[arg-type]


def _icalendar(data: bytes) -> dict[str, icalendar.Event]:
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return {str(e["UID"]): e for e in events}


def _vobject(data: bytes) -> dict[str, vobject.base.Component]:
    cal = vobject.readOne(data.decode("utf-8"))
    return {e.uid.value: e for e in cal.vevent_list}


def _bodies(data: bytes) -> dict[str, str]:
    """Return each event's unfolded content lines by UID, without DTSTAMP (the time of the export)."""
    text = data.decode("utf-8").replace("\r\n ", "")
    out = {}
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, flags=re.S):
        lines = [line for line in block.split("\r\n") if line and not line.startswith("DTSTAMP")]
        uid = next(line[4:] for line in lines if line.startswith("UID:"))
        out[uid] = "\n".join(lines)
    return out


@pytest.fixture
def pinned_plan(plan_dir: Path, edit_csv: EditCsv) -> Plan:
    """The sample plan with the workshop pinned to tuesday 10:00 and four meetings around the clock changes."""

    def pin_workshop(t: pd.DataFrame) -> pd.DataFrame:
        t["weekday"] = t["activity_id"].map({"workshop": "tirsdag"}).fillna("")
        t["time"] = t["activity_id"].map({"workshop": "10:00"}).fillna("")
        return t

    def add_dst_meetings(t: pd.DataFrame) -> pd.DataFrame:
        extra = pd.DataFrame(
            [
                {
                    "task_id": task_id,
                    "title": f"Møde {task_id}",
                    "kind": "meeting",
                    "start_week": week,
                    "end_week": week,
                    "hours": "1,5",
                    "weekday": "2",
                    "time": "10.00",
                    "source": "eksempel",
                }
                for task_id, week, _ in DST_TASKS
            ]
        )
        return pd.concat([t, extra], ignore_index=True).fillna("")

    edit_csv("template", pin_workshop)
    edit_csv("tasks", add_dst_meetings)
    return load_plan(plan_dir)


# --- the file as two parsers read it ---------------------------------------------------------


def test_the_whole_plan_parses_with_icalendar_and_vobject_alike(sample_plan: Plan) -> None:
    data = _ics(sample_plan)
    by_icalendar, by_vobject = _icalendar(data), _vobject(data)
    sched = schedule(sample_plan)
    expected = int(sched["kind"].isin(["meeting", "workshop", "deadline", "invitation", "preparation"]).sum())
    assert len(by_icalendar) == expected + len(sample_plan.milestones)
    assert by_icalendar.keys() == by_vobject.keys()
    for uid, event in by_icalendar.items():
        assert str(event["SUMMARY"]) == by_vobject[uid].summary.value
        assert event.decoded("DTSTART") == by_vobject[uid].dtstart.value
        assert event.decoded("DTEND") == by_vobject[uid].dtend.value
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "MFR-udrulning – hele planen"
    assert str(calendar["PRODID"]).startswith("-//Albertslund Kommune//")


def test_vobject_writes_the_file_back_and_icalendar_reads_the_same_events(pinned_plan: Plan) -> None:
    data = _ics(pinned_plan, department="okonomi-stab", public_url="https://planner.example")
    rewritten = vobject.readOne(data.decode("utf-8")).serialize().encode("utf-8")
    before, after = _icalendar(data), _icalendar(rewritten)
    assert before.keys() == after.keys()
    for uid, event in before.items():
        for prop in ("SUMMARY", "DESCRIPTION", "STATUS", "TRANSP", "URL"):
            assert str(after[uid][prop]) == str(event[prop]), (uid, prop)
        for prop in ("DTSTART", "DTEND", "DTSTAMP"):
            assert after[uid].decoded(prop) == event.decoded(prop), (uid, prop)
        assert int(after[uid]["SEQUENCE"]) == int(event["SEQUENCE"])


def test_a_department_calendar_is_named_after_it_and_keeps_its_meetings(sample_plan: Plan) -> None:
    data = _ics(sample_plan, department="born-familie")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "MFR-udrulning – Børn & Familie"
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Orienteringsmøde for ledere – Børn & Familie" in summaries
    assert "Workshop for ledere og administrative – Børn & Familie" in summaries
    assert "Præsentation af MFR for Chefforum" in summaries  # the whole plan's meetings are everyone's
    assert "2. behandling og vedtagelse af Budget 2027 i KB" in summaries
    assert not any("Indkald" in s or "Dagtilbud" in s for s in summaries)
    assert calendar_filename(sample_plan, department="born-familie") == "mfr-kalender-born-og-familie.ics"


def test_a_calendar_name_with_a_comma_is_escaped_and_reads_back_whole(sample_plan: Plan) -> None:
    data = _ics(sample_plan, department="kultur-fritid-ejendomme")
    assert "X-WR-CALNAME:MFR-udrulning – Kultur\\, Fritid & Ejendomme\r\n" in data.decode("utf-8")
    calendar = vobject.readOne(data.decode("utf-8"))
    assert calendar.x_wr_calname.value == "MFR-udrulning – Kultur, Fritid & Ejendomme"
    summaries = {e.summary.value for e in calendar.vevent_list}
    assert {"Orienteringsmøde for ledere – Kultur & Fritid", "Orienteringsmøde for ledere – Ejendomme"} <= summaries


def test_only_okonomi_og_stab_gets_the_invitations_and_preparations(sample_plan: Plan) -> None:
    events = calendar_events(schedule(sample_plan), sample_plan.milestones)
    finance = select_events(events, sample_plan, department="okonomi-stab")
    others = select_events(events, sample_plan, department="dagtilbud-skoler")
    unit = select_events(events, sample_plan, unit="okonomi-stab")
    invitations = events["kind"].isin(["invitation", "preparation"])
    assert invitations.sum() > 0
    assert set(events.loc[invitations, "key"]) <= set(finance["key"])
    assert not others["kind"].isin(["invitation", "preparation"]).any()
    assert not unit["kind"].isin(["invitation", "preparation"]).any()
    assert "follow-up" not in set(events["kind"])


def test_one_call_per_department_or_unit_gives_the_same_file_as_filtering_the_whole_plan(sample_plan: Plan) -> None:
    events = calendar_events(schedule(sample_plan), sample_plan.milestones, status=status_of(sample_plan))
    for column, table in (("department", sample_plan.departments), ("unit", sample_plan.units)):
        for item in table[f"{column}_id"]:
            chosen = select_events(events, sample_plan, **{column: item})
            whole = write_calendar(
                chosen,
                plan_id=plan_identity(sample_plan.settings.title),
                name=calendar_name(sample_plan, **{column: item}),
                description=sample_plan.settings.title,
                stamp=STAMP,
            )
            assert _ics(sample_plan, **{column: item}) == whole, item


def test_an_unknown_department_or_unit_is_refused(sample_plan: Plan) -> None:
    with pytest.raises(CalendarError, match="'ingen' findes ikke"):
        _ics(sample_plan, department="ingen")
    with pytest.raises(CalendarError, match="'ingen' findes ikke"):
        _ics(sample_plan, unit="ingen")


# --- stable UIDs and SEQUENCE -----------------------------------------------------------------


def test_moving_one_activity_keeps_every_uid_and_changes_exactly_one_event(
    sample_plan: Plan, edit_csv: EditCsv, plan_dir: Path
) -> None:
    before = _bodies(_ics(sample_plan))
    edit_csv(
        "overrides",
        lambda o: pd.concat(
            [o, pd.DataFrame([MOVE_WORKSHOP])],
            ignore_index=True,
        ).fillna(""),
    )
    after = _bodies(_ics(load_plan(plan_dir)))
    assert before.keys() == after.keys()
    changed = [uid for uid in before if before[uid] != after[uid]]
    assert changed == [f"b1/born-familie/workshop@{plan_identity(sample_plan.settings.title)}"]
    assert "DTSTART;VALUE=DATE:20260316" in after[changed[0]]


def test_uids_name_the_activity_and_the_plan_and_are_unique(sample_plan: Plan) -> None:
    uids = list(_icalendar(_ics(sample_plan)))
    assert len(uids) == len(set(uids))
    identity = plan_identity(sample_plan.settings.title)
    assert identity == "udrulning-af-mit-forventede-regnskab-og-budget-2027"
    assert f"b1/born-familie/orientering@{identity}" in uids
    assert f"milepael/b27-1-behandling@{identity}" in uids
    assert plan_identity("Anden titel", "mfr-albertslund") == "mfr-albertslund"


def test_sequence_and_last_modified_come_from_the_revision_an_event_last_changed_in(
    sample_plan: Plan, edit_csv: EditCsv, plan_dir: Path
) -> None:
    first = calendar_events(schedule(sample_plan), sample_plan.milestones)
    edit_csv(
        "overrides",
        lambda o: pd.concat(
            [o, pd.DataFrame([MOVE_WORKSHOP])],
            ignore_index=True,
        ).fillna(""),
    )
    moved = load_plan(plan_dir)
    second = calendar_events(schedule(moved), moved.milestones)
    saved = [dt.datetime(2026, 1, day, 9, tzinfo=dt.UTC) for day in (5, 6, 7)]
    history = [
        (Version(1, saved[0]), dict(zip(first["key"], first["fingerprint"], strict=True))),
        (Version(2, saved[1]), dict(zip(second["key"], second["fingerprint"], strict=True))),
        (Version(3, saved[2]), dict(zip(second["key"], second["fingerprint"], strict=True))),  # no event changed
    ]
    versions = event_versions(history)
    data = write_calendar(second, plan_id="p", name="n", versions=versions)
    events = _icalendar(data)
    assert int(events["b1/born-familie/workshop@p"]["SEQUENCE"]) == 2
    assert events["b1/born-familie/workshop@p"].decoded("LAST-MODIFIED") == saved[1]
    assert events["b1/born-familie/workshop@p"].decoded("DTSTAMP") == saved[1]
    others = [e for uid, e in events.items() if uid != "b1/born-familie/workshop@p"]
    assert {int(e["SEQUENCE"]) for e in others} == {1}
    # The same revision history gives the same bytes: a cache or an ETag can rely on it.
    assert write_calendar(second, plan_id="p", name="n", versions=versions) == data


# --- where events fall in time ----------------------------------------------------------------


def test_all_day_events_start_on_the_monday_of_their_week_and_span_whole_weeks(sample_plan: Plan) -> None:
    sched = schedule(sample_plan).set_index("activity_key")
    identity = plan_identity(sample_plan.settings.title)
    activities = 0
    for uid, event in _vobject(_ics(sample_plan)).items():
        key = uid.removesuffix(f"@{identity}")
        start, end = event.dtstart.value, event.dtend.value
        assert not isinstance(start, dt.datetime)
        if key.startswith("milepael/"):
            assert end - start == dt.timedelta(days=1)
            continue
        activities += 1
        row = sched.loc[key]
        assert start.weekday() == 0
        assert start.isocalendar()[:2] == tuple(int(p) for p in row["start_week"].split("-W"))
        assert (end - start).days % 7 == 0
        assert end - dt.timedelta(days=1) == row["end_date"].date()
    assert activities > 20


def test_pinned_meetings_keep_copenhagen_time_across_both_clock_changes(pinned_plan: Plan) -> None:
    data = _ics(pinned_plan)
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen" in data
    by_icalendar, by_vobject = _icalendar(data), _vobject(data)
    identity = plan_identity(pinned_plan.settings.title)
    for task_id, _week, utc in DST_TASKS:
        uid = f"{task_id}@{identity}"
        for start, end in (
            (by_icalendar[uid].decoded("DTSTART"), by_icalendar[uid].decoded("DTEND")),
            (by_vobject[uid].dtstart.value, by_vobject[uid].dtend.value),  # vobject reads our VTIMEZONE
        ):
            assert start.astimezone(dt.UTC) == utc
            assert (start.hour, start.minute) == (10, 0)
            assert end - start == dt.timedelta(hours=1, minutes=30)
        assert by_icalendar[uid]["DTSTART"].params["TZID"] == "Europe/Copenhagen"
        assert str(by_icalendar[uid]["TRANSP"]) == "OPAQUE"


def test_the_vtimezone_agrees_with_zoneinfo_hour_by_hour_around_every_clock_change() -> None:
    data = write_calendar(pd.DataFrame(columns=["key", "start", "lines"]), plan_id="p", name="n")
    assert b"VTIMEZONE" not in data  # no timed event, no time zone
    plan_events = pd.DataFrame(
        {"key": ["x"], "start": [dt.date(2026, 3, 3)], "lines": ["DTSTART;TZID=Europe/Copenhagen:20260303T100000"]}
    )
    cal = vobject.readOne(write_calendar(plan_events, plan_id="p", name="n").decode("utf-8"))
    tz = cal.vtimezone.gettzinfo()
    checked = 0
    for year in (2025, 2026, 2027, 2028):
        for month, day in ((3, 24), (10, 20)):
            start = dt.datetime(year, month, day, tzinfo=dt.UTC)
            for hour in range(24 * 14):
                moment = start + dt.timedelta(hours=hour)
                assert moment.astimezone(tz).utcoffset() == moment.astimezone(COPENHAGEN).utcoffset(), moment
                checked += 1
    assert checked == 8 * 24 * 14


def test_the_workshop_pinned_in_the_template_is_a_timed_event_for_every_unit(pinned_plan: Plan) -> None:
    events = _icalendar(_ics(pinned_plan))
    workshops = [e for uid, e in events.items() if "/workshop@" in uid]
    assert len(workshops) == 9
    for event in workshops:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.weekday() == 1 and (start.hour, start.minute) == (10, 0)
        assert end - start == dt.timedelta(hours=2)
    orientation = events[f"b1/born-familie/orientering@{plan_identity(pinned_plan.settings.title)}"]
    assert not isinstance(orientation.decoded("DTSTART"), dt.datetime)


def test_a_weekday_without_a_time_is_an_all_day_event_on_that_day(plan_dir: Path, edit_csv: EditCsv) -> None:
    edit_csv("overrides", lambda o: o.assign(weekday="torsdag", time=""))
    plan = load_plan(plan_dir)
    event = _icalendar(_ics(plan))[f"b1/dagtilbud-skoler/orientering@{plan_identity(plan.settings.title)}"]
    assert event.decoded("DTSTART") == dt.date(2026, 3, 5)  # torsdag i uge 10
    assert event.decoded("DTEND") == dt.date(2026, 3, 6)
    assert "tidspunktet aftales" in str(event["DESCRIPTION"])


# --- text: Danish letters, escaping, one-line subjects ------------------------------------------


def test_danish_letters_survive_both_parsers_and_folding(sample_plan: Plan) -> None:
    data = _ics(sample_plan, department="okonomi-stab", public_url="https://planner.example")
    text = data.decode("utf-8")  # a fold inside æ, ø or å would not decode
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    by_vobject = _vobject(data)
    summaries = {e.summary.value for e in by_vobject.values()}
    assert "Orienteringsmøde for ledere – Økonomi & Stab" in summaries
    assert "Økonomiaftale for 2027 mellem KL og regeringen" in summaries
    description = next(e.description.value for e in by_vobject.values() if "Orienteringsmøde" in e.summary.value)
    assert "Deltagere: Økonomikonsulent, ledere, afdelingschef" in description
    assert "Varighed: ½ time" in description
    assert "Planen: https://planner.example/min-afdeling?afdeling=okonomi-og-stab" in description


def test_commas_semicolons_and_backslashes_in_names_are_escaped(
    plan_dir: Path, edit_csv: EditCsv, sample_plan: Plan
) -> None:
    tricky = "Børn, Unge; Familie \\ Co"
    edit_csv("units", lambda u: u.assign(name=u["name"].where(u["unit_id"] != "born-familie", tricky)))
    plan = load_plan(plan_dir)
    data = _ics(plan, unit="born-familie")
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:Orienteringsmøde for ledere – Børn\\, Unge\\; Familie \\\\ Co\r\n" in unfolded
    for parsed in (
        {str(e["SUMMARY"]) for e in _icalendar(data).values()},
        {e.summary.value for e in _vobject(data).values()},
    ):
        assert f"Orienteringsmøde for ledere – {tricky}" in parsed


def test_a_name_with_a_newline_stays_one_summary_line(plan_dir: Path, edit_csv: EditCsv) -> None:
    edit_csv("units", lambda u: u.assign(name=u["name"].where(u["unit_id"] != "born-familie", "Børn &\nFamilie")))
    plan = load_plan(plan_dir)
    data = _ics(plan, unit="born-familie")
    unfolded = data.decode("utf-8").replace("\r\n ", "").split("\r\n")
    summaries = [line for line in unfolded if line.startswith("SUMMARY:")]
    assert "SUMMARY:Orienteringsmøde for ledere – Børn & Familie" in summaries
    assert not any("\n" in line or "\\n" in line for line in summaries)
    assert all(line.split(":", 1)[0].isupper() or line.startswith(("DTSTART;", "DTEND;")) for line in unfolded if line)
    for event in _vobject(data).values():
        assert "\n" not in event.summary.value
    # The description may have lines of its own; there the newline is escaped, not raw.
    description = next(e.description.value for e in _vobject(data).values() if "Orient" in e.summary.value)
    assert "Enhed: Børn &\nFamilie" in description


def test_escaped_text_reads_back_as_written_for_awkward_strings(sample_plan: Plan) -> None:
    awkward = [
        "a,b;c\\d",
        "\\n is not a newline",
        "line one\nline two\r\nline three",
        "ÆØÅ æøå " * 20 + "\\,;" * 30,
        "tab\there and bell\x07gone",
        "\\" * 101 + "ø" * 40,
    ]
    sched = schedule(sample_plan)
    rows = sched[sched["kind"] == "meeting"].head(len(awkward)).assign(source=awkward)
    events = calendar_events(rows, sample_plan.milestones.head(0))
    data = write_calendar(events, plan_id="p", name="n", stamp=STAMP)
    assert all(len(line.encode("utf-8")) <= 75 for line in data.decode("utf-8").split("\r\n"))
    by_icalendar, by_vobject = _icalendar(data), _vobject(data)
    for key, text in zip(rows["activity_key"], awkward, strict=True):
        expected = "Kilde: " + text.replace("\r\n", "\n").replace("\x07", " ")
        assert expected in str(by_icalendar[f"{key}@p"]["DESCRIPTION"])
        assert expected in by_vobject[f"{key}@p"].description.value


# --- status, once the status table exists ---------------------------------------------------


def test_a_cancelled_activity_is_status_cancelled_and_says_so(sample_plan: Plan) -> None:
    status = {"b1/born-familie/workshop": "aflyst", "b1/born-familie/orientering": "udskudt"}
    events = _icalendar(_ics(sample_plan, department="born-familie", status=status))
    identity = plan_identity(sample_plan.settings.title)
    cancelled = events[f"b1/born-familie/workshop@{identity}"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("AFLYST: Workshop")
    assert "Status: aflyst" in str(cancelled["DESCRIPTION"])
    assert str(events[f"b1/born-familie/orientering@{identity}"]["STATUS"]) == "TENTATIVE"
    rest = {str(e["STATUS"]) for uid, e in events.items() if "/workshop@" not in uid and "/orientering@" not in uid}
    assert rest == {"CONFIRMED"}


# --- the plan's new columns ---------------------------------------------------------------------


def test_the_sample_plan_has_no_pinned_days_and_still_loads(sample_plan: Plan) -> None:
    statuses = status_of(sample_plan)  # the sample's status rows, by activity key
    assert statuses == dict(zip(sample_plan.status["activity_key"], sample_plan.status["status"], strict=True))
    assert (sample_plan.template["weekday"] == "").all()
    assert {"weekday", "time"} <= set(schedule(sample_plan).columns)


def test_weekday_and_time_are_read_in_danish_forms_and_normalised(pinned_plan: Plan) -> None:
    tasks = pinned_plan.tasks.set_index("task_id")
    assert tasks.loc["dst-marts-for", "weekday"] == "tirsdag"  # written as 2
    assert tasks.loc["dst-marts-for", "time"] == "10:00"  # written as 10.00


@pytest.mark.parametrize(
    ("weekday", "time", "field", "message"),
    [
        ("lørdag", "", "weekday", "'lørdag' er ikke en hverdag"),
        ("6", "", "weekday", "'6' er ikke en hverdag"),
        ("tirsdag", "25:00", "time", "'25:00' er ikke et klokkeslæt"),
        ("tirsdag", "kl 10", "time", "'kl 10' er ikke et klokkeslæt"),
        ("", "10:00", "weekday", "et klokkeslæt kræver en ugedag"),
    ],
)
def test_a_bad_weekday_or_time_names_the_row_and_field(
    plan_dir: Path, edit_csv: EditCsv, weekday: str, time: str, field: str, message: str
) -> None:
    def pin(t: pd.DataFrame) -> pd.DataFrame:
        t["weekday"] = ["", "", weekday, "", ""]
        t["time"] = ["", "", time, "", ""]
        return t

    edit_csv("template", pin)
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir)
    text = str(caught.value)
    assert "template.csv, række 4" in text
    assert f"felt '{field}'" in text
    assert message in text


def test_a_units_override_wins_over_the_template_field_by_field(plan_dir: Path, edit_csv: EditCsv) -> None:
    def pin(t: pd.DataFrame) -> pd.DataFrame:
        t["weekday"] = t["activity_id"].map({"orientering": "mandag"}).fillna("")
        t["time"] = t["activity_id"].map({"orientering": "09:00"}).fillna("")
        return t

    edit_csv("template", pin)
    edit_csv("overrides", lambda o: o.assign(weekday="onsdag", time=""))
    sched = schedule(load_plan(plan_dir)).set_index("activity_key")
    assert tuple(sched.loc["b1/dagtilbud-skoler/orientering", ["weekday", "time"]]) == ("onsdag", "09:00")
    assert tuple(sched.loc["b1/born-familie/orientering", ["weekday", "time"]]) == ("mandag", "09:00")


def test_each_event_links_to_a_page_the_app_serves(sample_plan: Plan) -> None:
    events = _icalendar(_ics(sample_plan, public_url="https://planner.example"))
    links = {str(e["URL"]) for e in events.values() if "URL" in e}
    # Overblik is the default page, served at the root; a department's page takes its slug.
    assert "https://planner.example/" in links
    departments = {slug(name) for name in sample_plan.departments["name"]}
    for link in links - {"https://planner.example/"}:
        assert link.startswith("https://planner.example/min-afdeling?afdeling=")
        assert unquote(link.split("=", 1)[1]) in departments
