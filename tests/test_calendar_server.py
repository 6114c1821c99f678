"""Calendar subscriptions on the real server (`streamlit run planner_server.py`), over HTTP and in Chromium."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import vobject
from servers import CHROMIUM, ROOT, chromium, free_port, serving

from planner.calendar_feed import WHOLE_PLAN, feed_token
from planner.store import Store

SHOTS = ROOT / "screenshots"
SECRET = "t" * 48
WORKSHOP = "Workshop for ledere og administrative – Børn & Familie"


@dataclass(frozen=True)
class Server:
    url: str
    database: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    state = tmp_path_factory.mktemp("state")
    url = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "PLANNER_STATE_DIR": str(state),
        "PLANNER_CALENDAR_SECRET": SECRET,
        "PLANNER_PUBLIC_URL": url,
        "PLANNER_TODAY": "2026-03-11",
    }
    env.pop("PLANNER_DATABASE_URL", None)
    with serving("planner_server.py", env, port):
        yield Server(url, f"sqlite:///{state / 'planner.db'}")


def _get(url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _feed(server: Server, scope: str) -> str:
    return f"{server.url}/kalender/{feed_token(SECRET, scope)}.ics"


def _events(data: bytes) -> dict[str, vobject.base.Component]:
    return {e.summary.value: e for e in vobject.readOne(data.decode("utf-8")).vevent_list}


def test_a_departments_link_serves_its_calendar_read_only(server: Server) -> None:
    status, headers, body = _get(_feed(server, "born-familie"))
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["cache-control"] == "private, max-age=900"
    assert WORKSHOP in _events(body)
    assert vobject.readOne(body.decode("utf-8")).x_wr_calname.value == "MFR-udrulning – Børn & Familie"
    assert _get(_feed(server, "born-familie"), headers={"If-None-Match": headers["etag"]})[0] == 304
    head = _get(_feed(server, "born-familie"), method="HEAD")
    assert head[0] == 200 and head[2] == b""
    assert _get(_feed(server, "born-familie"), method="POST")[0] == 405
    assert _get(_feed(server, "born-familie"), method="DELETE")[0] == 405


def test_a_wrong_or_foreign_token_gets_a_plain_404(server: Server) -> None:
    token = feed_token(SECRET, "born-familie")
    for wrong in (token[:-2] + "xx", feed_token("x" * 40, "born-familie"), "born-familie", "%C3%B8"):
        status, headers, body = _get(f"{server.url}/kalender/{wrong}.ics")
        assert status == 404, wrong
        assert body == b"Kalenderen findes ikke."
        assert headers["cache-control"] == "no-store"
    # Addresses outside the route fall through to the app's page shell, never to a calendar.
    for path in ("/kalender/.ics", f"/kalender/{token}", "/kalender/..%2F..%2Fplanner.ics"):
        assert b"BEGIN:VCALENDAR" not in _get(server.url + path)[2]


def test_the_whole_plan_has_a_link_of_its_own(server: Server) -> None:
    status, _, body = _get(_feed(server, WHOLE_PLAN))
    assert status == 200
    events = _events(body)
    assert "Orienteringsmøde for ledere – Miljø & Teknik" in events
    assert any(s.startswith("Indkaldelse") for s in events)


def test_a_saved_revision_reaches_the_subscription_with_a_higher_sequence(server: Server) -> None:
    first = _get(_feed(server, "born-familie"))
    store = Store(server.database)
    try:
        base, plan = store.load()
        row = {"unit_id": "born-familie", "activity_id": "workshop", "start_week": "2026-W12", "source": "eksempel"}
        overrides = pd.concat([plan.overrides, pd.DataFrame([row])], ignore_index=True).fillna("")
        store.save(plan.with_tables(overrides=overrides), base=base, editor="marie@albertslund.dk")
        number = store.latest()
    finally:
        store.close()
    second = _get(_feed(server, "born-familie"))
    assert second[1]["etag"] != first[1]["etag"]
    before, after = _events(first[2]), _events(second[2])
    assert before.keys() == after.keys()
    assert int(after[WORKSHOP].sequence.value) == number
    assert str(after[WORKSHOP].dtstart.value) == "2026-03-16"
    assert {uid.uid.value for uid in before.values()} == {uid.uid.value for uid in after.values()}
    unchanged = [s for s in after if s != WORKSHOP]
    assert all(int(after[s].sequence.value) == int(before[s].sequence.value) for s in unchanged)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_min_afdeling_shows_the_subscription_link_and_downloads_the_file(
    server: Server, width: int, height: int, tmp_path: Path
) -> None:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        page = context.new_page()
        page.goto(f"{server.url}/min-afdeling?afdeling=born-og-familie")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.get_by_text("Sådan får du kalenderen i Outlook").click()
        link = page.locator("[data-testid='stCode']").last
        link.wait_for(state="visible")
        page.wait_for_timeout(500)  # the expander's opening animation moves what follows
        link.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"min-afdeling-kalender-{width}.png"))
        assert link.inner_text().strip() == _feed(server, "born-familie")
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width  # wrapped, not cut off
        button = page.get_by_role("button", name="Hent kalender (.ics)")
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as download:
            button.click()
        assert download.value.suggested_filename == "mfr-kalender-born-og-familie.ics"
        saved = tmp_path / "download.ics"
        download.value.save_as(saved)
        context.close()
    downloaded = saved.read_bytes()
    assert downloaded == _get(_feed(server, "born-familie"))[2]  # the same revision, the same bytes
    assert WORKSHOP in _events(downloaded)
