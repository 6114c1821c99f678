"""The real app in a real browser: Debian's chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator

import pytest
from servers import CHROMIUM, ROOT, chromium, serving

from planner import load_plan
from planner.views import analyse

SHOTS = ROOT / "screenshots"

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    # CI sets PLANNER_REQUIRE_BROWSER so a missing browser fails there instead of skipping.
    if os.environ.get("PLANNER_REQUIRE_BROWSER"):
        raise RuntimeError("/usr/bin/chromium mangler: apt-get install chromium")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = os.environ | {"PLANNER_STATE_DIR": str(tmp_path_factory.mktemp("state")), "PLANNER_TODAY": "2026-03-11"}
    for name in ("PLANNER_DATABASE_URL", "PLANNER_DATA_DIR", "PLANNER_PUBLIC_URL"):
        env.pop(name, None)
    with serving("planner_app.py", env) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def _probe(location: dict[str, object]) -> bool:
    # On a deep link (/min-afdeling) Streamlit's frontend first tries the page path as the
    # server's base path; those two 404s are its own probe, answered by the fallback to "/".
    url = str(location.get("url", ""))
    return url.endswith(("/_stcore/health", "/_stcore/host-config"))


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    # What a phone's browser says about itself; the app fits the chart to a phone by it.
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36"
    ),
}
DESK = {"viewport": {"width": 1440, "height": 900}}


def _open(browser, url: str, name: str, device: dict | None = None) -> tuple[object, list[str]]:  # type: ignore[no-untyped-def, type-arg]
    context = browser.new_context(**(device or DESK))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not _probe(m.location) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(500)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    return page, errors


def _boxes(page, selector: str) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    """Return the bounding boxes of the non-empty texts matching `selector`."""
    return [
        box
        for text in page.locator(selector).all()
        if text.text_content().strip() and (box := text.bounding_box()) and box["width"] > 0
    ]


def _overlaps(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    """Return the pairs of boxes that overlap (by more than half a pixel, for anti-aliasing)."""
    found = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], start=i + 1):
            wide = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            tall = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            if wide > 0.5 and tall > 0.5:
                found.append((i, j))
    return found


def test_the_overview_draws_the_gantt_with_level_labels_and_no_console_errors(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, app_url, "overblik-1440")
    ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert any(t.startswith("uge ") for t in ticks), ticks
    assert page.locator(".js-plotly-plot .bars path").count() > 40
    for selector in (".xtick text", ".x2tick text", ".ytick text"):
        assert not _overlaps(_boxes(page, f".js-plotly-plot {selector}")), selector
    # Week labels lie level: Plotly turns them only when they would not fit side by side.
    assert all("rotate" not in (t.get_attribute("transform") or "") for t in page.locator(".xtick text").all())
    chart = page.locator(".js-plotly-plot").bounding_box()
    plot = page.locator(".js-plotly-plot .nsewdrag").bounding_box()
    assert chart["width"] > 900  # the chart has the page's width, the problems are below it
    assert plot["width"] >= 0.6 * chart["width"]
    assert errors == []


def test_no_milestone_is_cut_at_the_edge_of_the_plot(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    for path, name in (("/", "overblik"), ("/budget-2027", "budget")):
        page, _ = _open(browser, app_url + path, f"{name}-diamonds")
        plot = page.locator(".js-plotly-plot .nsewdrag").bounding_box()
        for point in page.locator(".js-plotly-plot .scatterlayer .point").all():
            box = point.bounding_box()
            if box and "opacity: 0;" not in (point.get_attribute("style") or ""):  # not the heading points
                assert box["x"] >= plot["x"] - 0.5 and box["x"] + box["width"] <= plot["x"] + plot["width"] + 0.5


def test_hovering_a_red_outlined_bar_says_the_problem_the_suggestion_and_the_source(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = _open(browser, app_url, "overblik-hover")
    outlined = page.locator(".js-plotly-plot .bars path[style*='stroke: rgb(214, 39, 40)']")
    flagged = analyse(load_plan(), as_of=dt.date(2026, 3, 11)).findings["activity_key"]
    assert outlined.count() == flagged[flagged != ""].nunique() > 0  # one red outline per flagged activity
    outlined.first.scroll_into_view_if_needed()  # the chart may start below the first screen
    box = outlined.first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".js-plotly-plot .hoverlayer .hovertext", timeout=10_000)
    text = " ".join(page.locator(".js-plotly-plot .hoverlayer .hovertext").all_text_contents())
    page.screenshot(path=str(SHOTS / "overblik-hover.png"))
    assert "Workshop for ledere og administrative" in text
    assert "⚠" in text and "Forslag: Flyt til uge" in text
    # Wave 2 and 3 cite the week plan decided for March: the source is wrapped over lines.
    assert "Kilde: " in text and "Chefforum17-12-2025" in "".join(text.split())


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "overblik-390"),
        ("/min-afdeling?afdeling=born-og-familie", "min-afdeling-390"),
        ("/budget-2027", "budget-390"),
        ("/status-til-chefforum", "chefforum-390"),
    ],
)
def test_on_a_phone_the_plot_has_half_the_width_and_no_labels_overlap(
    browser, app_url: str, path: str, name: str
) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, app_url + path, name, PHONE)
    plot = page.locator(".js-plotly-plot .nsewdrag").bounding_box()
    assert plot["width"] >= 0.5 * 390, plot
    for selector in (".xtick text", ".x2tick text", ".ytick text"):
        boxes = _boxes(page, f".js-plotly-plot {selector}")
        assert boxes, selector
        assert not _overlaps(boxes), (selector, _overlaps(boxes))
    assert errors == []


def test_a_department_link_opens_its_week_plan(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, f"{app_url}/min-afdeling?afdeling=born-og-familie", "min-afdeling")
    assert page.get_by_text("Udrulning af MFR – Børn & Familie").count() >= 1
    assert page.get_by_text(f"{app_url}/min-afdeling?afdeling=born-og-familie").count() == 1  # the full link
    assert errors == []


def test_the_department_chooser_folds_under_the_departments_name(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, f"{app_url}/min-afdeling?afdeling=born-og-familie", "min-afdeling-skift")
    assert page.locator("[data-testid='stSelectbox']").count() == 0  # folded: not drawn until opened
    page.locator("[data-testid='stPopoverButton']").first.click()
    page.locator("[data-testid='stSelectbox']").click()
    page.get_by_role("option", name="Miljø & Teknik").click()
    page.get_by_text("Udrulning af MFR – Miljø & Teknik").wait_for(timeout=30_000)
    assert page.url.endswith("afdeling=miljo-og-teknik")
    assert "Miljø & Teknik" in page.locator("[data-testid='stPopoverButton']").first.inner_text()
    assert errors == []


def test_a_link_to_an_unknown_department_says_so(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(**DESK)
    page = context.new_page()
    page.goto(f"{app_url}/min-afdeling?afdeling=findes-ikke")
    page.get_by_text("Afdelingen 'findes-ikke' findes ikke i planen").wait_for(timeout=60_000)
    link = page.locator("a[href$='min-afdeling?afdeling=born-og-familie']")
    link.wait_for(timeout=10_000)
    assert page.locator("[data-testid='stPageLink']").count() == 7
    assert page.url.endswith("afdeling=findes-ikke")  # the address is not rewritten to another department
    assert page.locator(".js-plotly-plot").count() == 0
    link.click()
    page.get_by_text("Udrulning af MFR – Børn & Familie").wait_for(timeout=60_000)
    assert page.url.endswith("afdeling=born-og-familie")


def _open_filters(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("[data-testid='stPopoverButton']").first.click()
    page.locator("[data-testid='stMultiSelect']").first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)


@pytest.mark.parametrize(("device", "name"), [(DESK, "1440"), (PHONE, "390")])
def test_the_filters_fold_into_a_popover_that_opens_on_the_screen(browser, app_url: str, device, name: str) -> None:  # type: ignore[no-untyped-def]
    page, errors = _open(browser, app_url, f"overblik-filtre-{name}", device)
    # Folded, the fields cost the browser nothing: none is drawn before the popover opens.
    assert page.locator("[data-testid='stMultiSelect']").count() == 0
    assert page.get_by_text("Viser alle afdelinger").count() == 1  # what is shown is said in view
    _open_filters(page)
    page.screenshot(path=str(SHOTS / f"overblik-filtre-{name}-aaben.png"))
    width = device["viewport"]["width"]
    fields = page.locator("[data-testid='stMultiSelect'], [data-testid='stDateInput'], [data-testid='stSelectbox']")
    assert fields.count() == 6
    for field in fields.all():
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    # The last field is in reach too (the popover scrolls on a phone), and the chart follows it.
    late = page.locator("[data-testid='stCheckbox']").filter(has_text="Kun forsinkede eller flyttede")
    late.scroll_into_view_if_needed()
    box = late.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= device["viewport"]["height"], box
    late.locator("label").click()
    page.get_by_text("kun forsinkede eller flyttede ·").wait_for(timeout=30_000)
    assert errors == []


def test_the_period_field_shows_both_dates_at_desk_width(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = _open(browser, app_url, "overblik-periode")
    _open_filters(page)
    field = page.locator("[data-testid='stDateInputField']").first
    text = "".join(field.inner_text().split())
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}–\d\d\.\d\d\.\d{4}", text), text
    # The end date's year lies inside the field's box, not scrolled out of view.
    box = field.bounding_box()
    year = page.locator("[data-range-field='end'] [data-type='year']").first.bounding_box()
    assert year["x"] + year["width"] <= box["x"] + box["width"], (year, box)
