"""The exports printed the way users print them: LibreOffice to PDF, then every page read back."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter

import pytest

from planner import Plan
from planner.excel import export_workbook

SOFFICE = shutil.which("soffice")

if SOFFICE is None:
    # CI sets PLANNER_REQUIRE_OFFICE so a missing LibreOffice fails there instead of skipping.
    if os.environ.get("PLANNER_REQUIRE_OFFICE"):
        raise RuntimeError("soffice mangler: apt-get install libreoffice-calc-nogui")
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

pdfplumber = pytest.importorskip("pdfplumber")


@pytest.fixture(scope="module")
def printed(sample_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[object]]:
    """Return the pages of the whole-plan and one department's workbook, printed to PDF."""
    folder = tmp_path_factory.mktemp("print")
    books = {
        "alle": export_workbook(sample_plan, revision=7),
        "born-og-familie": export_workbook(sample_plan, department="born-familie", revision=7),
        "aeldre": export_workbook(sample_plan, department="Ældre, Sundhed & Social", revision=7),
    }
    for name, data in books.items():
        (folder / f"{name}.xlsx").write_bytes(data)
    # A profile of its own: another LibreOffice running on the machine would otherwise take the job.
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *[str(folder / f"{name}.xlsx") for name in books],
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages: dict[str, list[object]] = {}
    for name in books:
        with pdfplumber.open(folder / f"{name}.pdf") as pdf:
            pages[name] = [
                {"text": page.extract_text(), "chars": page.chars, "width": page.width, "height": page.height}
                for page in pdf.pages
            ]
    return pages


def _sizes(page: dict) -> Counter[float]:  # type: ignore[type-arg]
    return Counter(round(c["size"], 1) for c in page["chars"] if c["text"].strip())


@pytest.mark.parametrize("book", ["alle", "born-og-familie", "aeldre"])
def test_every_printed_page_has_text_of_at_least_8_pt(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    pages = printed[book]
    assert pages
    for number, page in enumerate(pages, start=1):
        sizes = _sizes(page)
        assert sizes, f"side {number} er tom"
        assert min(sizes) >= 8.0, (book, number, sorted(sizes.items())[:3])


@pytest.mark.parametrize("book", ["alle", "born-og-familie", "aeldre"])
def test_no_text_runs_off_the_paper(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    for number, page in enumerate(printed[book], start=1):
        # Cells print inside the margins (29 pt); LibreOffice also writes the text of the hidden key
        # columns, clipped to their zero width at the margin, where nobody sees it: not what this is about.
        for c in (c for c in page["chars"] if c["x0"] < page["width"] - 29):
            assert c["x0"] >= 0 and c["x1"] <= page["width"], (book, number, c["text"])
            assert c["top"] >= 0 and c["bottom"] <= page["height"], (book, number, c["text"])


def test_the_week_plan_repeats_its_headings_and_gives_each_department_its_own_pages(printed: dict) -> None:  # type: ignore[type-arg]
    week_pages = [p for p in printed["alle"] if "Mandag" in p["text"]]
    assert len(week_pages) > 3
    for page in week_pages:
        # Every page of the grid says which weeks it shows and what each row is.
        assert "Uge" in page["text"] and "Aktivitet" in page["text"]
        assert "Revision 7" in page["text"]
    starts = Counter(
        line
        for p in week_pages
        for line in p["text"].splitlines()
        if line in {"Børn & Familie", "Miljø & Teknik", "Fælles"}
    )
    # A department's heading opens each of its pages: it never shares a page with another.
    assert starts["Miljø & Teknik"] >= 1 and starts["Fælles"] >= 1
    for page in week_pages:
        departments = {"Børn & Familie", "Miljø & Teknik", "Borger & Arbejdsmarked"} & set(page["text"].splitlines())
        assert len(departments) <= 1


def test_a_departments_week_plan_fits_its_weeks_on_one_page(printed: dict) -> None:  # type: ignore[type-arg]
    week_pages = [p for p in printed["born-og-familie"] if "Mandag" in p["text"]]
    assert len(week_pages) == 1
    text = week_pages[0]["text"]
    assert "Økonomiopfølgning i MFR" in text and "Data pr. 28.02.2026 (bølge 1)" in text


TITLE = "Udrulning af Mit Forventede Regnskab og Budget 2027"


def _week_pages(printed: dict, book: str) -> list[dict]:  # type: ignore[type-arg]
    return [p for p in printed[book] if "Mandag" in p["text"]]


@pytest.mark.parametrize("book", ["alle", "aeldre"])
def test_every_week_page_carries_the_whole_legend(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    pages = _week_pages(printed, book)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = page["text"]
        # Above the grid, as on the first page: never split off to a page of its own.
        assert "Forklaring" in text and text.index("Forklaring") < text.index("Aktivitet"), number
        for words in ("politisk milepæl", "lovkrav milepæl", "ferie/helligdag", "problem, se arket Problemer"):
            assert words in text, (book, number, words)
    assert not any("Forklaring" in p["text"] and "Mandag" not in p["text"] for p in printed[book])


@pytest.mark.parametrize("book", ["alle", "aeldre"])
def test_every_page_prints_the_whole_title(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    for number, page in enumerate(printed[book], start=1):
        assert TITLE in page["text"].replace("\n", " "), (book, number)


def _month_line(page: dict) -> str:  # type: ignore[type-arg]
    lines = page["text"].splitlines()
    return lines[lines.index(next(line for line in lines if line.startswith("Uge "))) - 1]


@pytest.mark.parametrize("book", ["alle", "aeldre"])
def test_the_first_month_on_every_week_page_names_its_year(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    for page in _week_pages(printed, book):
        words = _month_line(page).split()
        # The first month, or the second where the first has one week and no room for a year ('mar.').
        year = 1 if words[1].isdigit() else 2
        assert words[year].isdigit() and len(words[year]) == 4, words
        assert year == 1 or len(words[0]) <= 4, words


def test_the_whole_plans_week_grid_fills_two_pages_across(printed: dict) -> None:  # type: ignore[type-arg]
    pages = _week_pages(printed, "alle")
    # Eight groups of at most two pages across each (31 pages in all, 19 of them the grid, before).
    assert len(pages) <= 16
    for page in pages:
        weeks = next(line for line in page["text"].splitlines() if line.startswith("Uge ")).split()[1:]
        assert len(weeks) >= 18, weeks  # no page of a month and a half
    assert len(printed["alle"]) <= 24


def test_wave_numbers_print_in_the_bars(printed: dict) -> None:  # type: ignore[type-arg]
    # Told apart without colour: the bars of uge 12-13 (bølge 1) and of the wave 2 rows carry their number.
    page = _week_pages(printed, "aeldre")[0]
    lines = page["text"].splitlines()
    assert any(line.startswith("Økonomiopfølgning i MFR") and line.split()[-1] in {"2", "!"} for line in lines)
    digits = [c for c in page["chars"] if c["text"] == "2" and c["size"] >= 8.5 and c["fontname"].endswith("Bold")]
    assert digits


def test_the_activities_sheet_keeps_its_kinds_in_their_column(printed: dict) -> None:  # type: ignore[type-arg]
    text = "\n".join(p["text"] for p in printed["alle"])
    assert "forberedelse 2026-W" in text  # not 'forberedels2026-W05'
    assert "Enheds-id" not in text and "Aktivitets-id" not in text


def test_a_department_without_findings_prints_that_it_has_none(printed: dict) -> None:  # type: ignore[type-arg]
    last = printed["born-og-familie"][-1]["text"]
    assert "Alvor" in last and "Ingen problemer fundet." in last
