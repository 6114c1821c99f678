"""Two real app servers on one PostgreSQL, in Debian's chromium: a save on one shows up on the other.

CI (`.ci/run`) starts PostgreSQL and sets PLANNER_TEST_DATABASE_URL, PLANNER_REQUIRE_BROWSER and
PLANNER_REQUIRE_POSTGRES, so this runs there instead of skipping.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import pytest
from servers import CHROMIUM, ROOT, chromium, free_port, start, stop
from sqlalchemy import create_engine

from planner.auth import account_line
from planner.store import Store, metadata

SHOTS = ROOT / "screenshots"
PG_URL = os.environ.get("PLANNER_TEST_DATABASE_URL")

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

if not CHROMIUM.exists():
    if os.environ.get("PLANNER_REQUIRE_BROWSER"):
        raise RuntimeError("/usr/bin/chromium mangler: apt-get install chromium")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
if not PG_URL:
    if os.environ.get("PLANNER_REQUIRE_POSTGRES"):
        raise RuntimeError("PLANNER_TEST_DATABASE_URL mangler")
    pytest.skip("PLANNER_TEST_DATABASE_URL is not set", allow_module_level=True)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    assert PG_URL is not None
    engine = create_engine(PG_URL)
    metadata.drop_all(engine)  # a fresh database: both servers seed it from data/ (one wins)
    engine.dispose()
    accounts = "\n".join(
        [
            account_line("marie@albertslund.dk", "forår-2026-kode", name="Marie Aasøe", iterations=1_000),
            account_line("tine@albertslund.dk", "sommer-2026-kode", name="Tine Holm", iterations=1_000),
        ]
    )
    env = os.environ | {
        "PLANNER_DATABASE_URL": PG_URL,
        "PLANNER_EDITOR_ACCOUNTS": accounts,
        "PLANNER_TODAY": "2026-03-11",
        "PLANNER_STATE_DIR": str(tmp_path_factory.mktemp("state")),
    }
    env.pop("PLANNER_LIVE_SECONDS", None)  # the product's own interval: a save must show within 30 s
    # One after the other: both seed the same empty database, and the second must find it seeded.
    port_a, port_b = free_port(), free_port()
    first = start("planner_app.py", env, port_a, timeout=90)
    try:
        second = start("planner_app.py", env, port_b, timeout=90)
        try:
            yield f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        finally:
            stop(second)
    finally:
        stop(first)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def _sign_in(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Logget ind som").wait_for(timeout=60_000)


def _choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option).click()
    page.wait_for_timeout(500)


def test_a_save_on_one_server_shows_on_the_other_within_30_seconds(browser, servers) -> None:  # type: ignore[no-untyped-def]
    url_a, url_b = servers
    viewer = browser.new_page(viewport={"width": 1440, "height": 900})
    viewer.goto(url_b)  # a chef on the other server, looking at the overview
    viewer.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    other_editor = browser.new_page(viewport={"width": 1440, "height": 900})
    other_editor.goto(f"{url_b}/rediger-plan")
    _sign_in(other_editor, "tine@albertslund.dk", "sommer-2026-kode")
    # Tine, on the other server, starts moving another unit from revision 1 before Marie saves.
    other_editor.get_by_role("tab", name="Flyt enhed").click()
    _choose(other_editor, "Enhed", "Ejendomme (bølge 3)")
    _choose(other_editor, "Til bølge", "Bølge 2 (maj 2026)")
    other_editor.get_by_role("button", name="Gem flytningen").wait_for(timeout=60_000)

    editor = browser.new_page(viewport={"width": 1440, "height": 900})
    editor.goto(f"{url_a}/rediger-plan")
    _sign_in(editor, "marie@albertslund.dk", "forår-2026-kode")
    editor.get_by_role("tab", name="Flyt enhed").click()
    _choose(editor, "Enhed", "Kultur & Fritid (bølge 2)")
    _choose(editor, "Til bølge", "Bølge 3 (oktober 2026)")
    editor.get_by_text("Flytningen giver").first.wait_for(timeout=60_000)
    editor.get_by_role("button", name="Gem flytningen").click()
    editor.get_by_text("Gemt som revision 2.").wait_for(timeout=60_000)
    saved = time.monotonic()

    for page in (viewer, other_editor):
        banner = page.locator(".st-key-live_banner")
        banner.wait_for(timeout=30_000 - (time.monotonic() - saved) * 1000)
        assert re.search(r"revision 2 gemt af Marie Aasøe \d\d\.\d\d\.2026 kl\. \d\d\.\d\d", banner.inner_text())
    SHOTS.mkdir(exist_ok=True)
    viewer.screenshot(path=str(SHOTS / "live-banner-overblik.png"))

    # Her move, begun from revision 1, is work in progress: she is told, and her save merges.
    other_editor.get_by_role("button", name="Vis den nye plan").click()
    other_editor.get_by_text("Der er gemt nyere revisioner, siden du begyndte").wait_for(timeout=60_000)
    other_editor.get_by_role("button", name="Gem flytningen").click()
    other_editor.get_by_text("Dine ændringer er flettet med revision 2").wait_for(timeout=60_000)
    other_editor.screenshot(path=str(SHOTS / "live-merged.png"))

    store = Store(PG_URL)
    waves = store.load()[1].assignments.set_index("unit_id")["wave"]
    assert (store.latest(), waves["kultur-fritid"], waves["ejendomme"]) == (3, 3, 2)
    assert [r.editor for r in store.history()[:2]] == ["Tine Holm", "Marie Aasøe"]
    store.close()
