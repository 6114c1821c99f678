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


@pytest.mark.parametrize("book", ["alle", "born-og-familie"])
def test_every_printed_page_has_text_of_at_least_8_pt(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    pages = printed[book]
    assert pages
    for number, page in enumerate(pages, start=1):
        sizes = _sizes(page)
        assert sizes, f"side {number} er tom"
        assert min(sizes) >= 8.0, (book, number, sorted(sizes.items())[:3])


@pytest.mark.parametrize("book", ["alle", "born-og-familie"])
def test_no_text_runs_off_the_paper(printed: dict, book: str) -> None:  # type: ignore[type-arg]
    for number, page in enumerate(printed[book], start=1):
        for c in page["chars"]:
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
