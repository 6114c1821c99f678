"""The Status and Status til Chefforum pages in a real browser (Debian's chromium via Playwright), wide and narrow."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
from editors import MARIE, accounts_setting
from servers import CHROMIUM, ROOT, chromium, serving

from planner import load_plan
from planner.status_summary import chefforum_status

SHOTS = ROOT / "screenshots"
VIEWPORTS = {"bred": (1440, 900), "smal": (390, 844)}

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("PLANNER_REQUIRE_BROWSER"):
        raise RuntimeError("/usr/bin/chromium mangler: apt-get install chromium")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = os.environ | {
        "PLANNER_STATE_DIR": str(tmp_path_factory.mktemp("state")),
        "PLANNER_TODAY": "2026-03-11",
        "PLANNER_EDITOR_ACCOUNTS": accounts_setting(),
    }
    env.pop("PLANNER_DATABASE_URL", None)
    with serving("planner_app.py", env) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def _errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        # Streamlit probes the page path as a base path first on deep links: its own 404s.
        if message.type == "error" and not str(message.location.get("url", "")).endswith(
            ("/_stcore/health", "/_stcore/host-config")
        ):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _no_sideways_scroll(page, width: int) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_status_page_after_sign_in_shows_the_cards_and_buttons_within_the_screen(
    browser, app_url: str, size: str
) -> None:  # type: ignore[no-untyped-def]
    width, height = VIEWPORTS[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = _errors(page)
    page.goto(f"{app_url}/status")
    page.get_by_label("E-mail").fill(MARIE[0])
    page.get_by_label("Adgangskode").fill(MARIE[1])
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Orienteringsmøde for ledere").first.wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"status-{size}.png"), full_page=False)
    done = page.get_by_role("button", name="Gennemført").first
    done.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"status-{size}-kort.png"))
    box = done.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] >= 30  # a finger-sized target on a phone
    _no_sideways_scroll(page, width)
    assert errors == []
    page.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_chefforum_page_draws_its_summary_tables_and_gantt(browser, app_url: str, size: str) -> None:  # type: ignore[no-untyped-def]
    width, height = VIEWPORTS[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = _errors(page)
    page.goto(f"{app_url}/status-til-chefforum")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(800)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"chefforum-{size}.png"), full_page=False)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"chefforum-{size}-gantt.png"))
    # The first sentence as the planner words it for the sample plan on the pinned day.
    expected = chefforum_status(load_plan(), dt.date(2026, 3, 11)).sentences[0]
    assert expected.startswith("Pr. 11.03.2026 (uge 11) er ")
    summary = page.get_by_text(expected)
    assert summary.count() == 1
    font = summary.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 14
    assert page.get_by_role("button", name="Lav Word-rapport").is_visible()
    _no_sideways_scroll(page, width)
    assert errors == []
    page.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_udskyd_asks_first_when_the_follow_up_must_move_and_fits_the_screen(browser, app_url: str, size: str) -> None:  # type: ignore[no-untyped-def]
    width, height = VIEWPORTS[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = _errors(page)
    page.goto(f"{app_url}/status")
    page.get_by_label("E-mail").fill(MARIE[0])
    page.get_by_label("Adgangskode").fill(MARIE[1])
    page.get_by_role("button", name="Log ind").click()
    card = page.locator(".st-key-status_card_b1-born-familie-workshop")
    card.get_by_role("button", name="Udskyd").click()  # to uge 12: the follow-up in uge 12–13 must move too
    question = page.locator(".st-key-status_confirm_b1-born-familie-workshop")
    question.get_by_text("Flyt også de efterfølgende aktiviteter (1)").wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    question.scroll_into_view_if_needed()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"status-{size}-udskyd.png"))
    text = question.inner_text()
    assert "Udskyd til uge 12?" in text
    assert "Økonomiopfølgning i MFR (Børn & Familie): uge 12–13 → uge 13–14" in text
    save = question.get_by_role("button", name="Gem udskydelsen")
    box = save.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 30
    assert save.is_enabled()
    _no_sideways_scroll(page, width)
    question.get_by_role("button", name="Fortryd").click()  # nothing saved: the server stays as it was
    question.wait_for(state="detached", timeout=60_000)
    assert errors == []
    page.close()
