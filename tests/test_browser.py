"""The real app in a real browser: Debian's chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    # CI sets PLANNER_REQUIRE_BROWSER so a missing browser fails there instead of skipping.
    if os.environ.get("PLANNER_REQUIRE_BROWSER"):
        raise RuntimeError("/usr/bin/chromium mangler: apt-get install chromium")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = os.environ | {"PLANNER_STATE_DIR": str(tmp_path_factory.mktemp("state"))}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "planner_app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


def _probe(location: dict[str, object]) -> bool:
    # On a deep link (/min-afdeling) Streamlit's frontend first tries the page path as the
    # server's base path; those two 404s are its own probe, answered by the fallback to "/".
    url = str(location.get("url", ""))
    return url.endswith(("/_stcore/health", "/_stcore/host-config"))


def _open(browser, url: str, name: str) -> tuple[object, list[str]]:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not _probe(m.location) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(500)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return page, errors


def test_the_overview_draws_the_gantt_with_week_labels_and_no_console_errors(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, app_url, "overblik")
    ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert any(t.startswith("uge ") for t in ticks), ticks
    assert page.locator(".js-plotly-plot .bars path").count() > 40
    assert errors == []


def test_a_department_link_opens_its_week_plan(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, f"{app_url}/min-afdeling?afdeling=born-og-familie", "min-afdeling")
    assert page.get_by_text("Udrulning af MFR – Børn & Familie").count() >= 1
    assert errors == []
