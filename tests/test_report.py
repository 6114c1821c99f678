"""The Chefforum report: a real .docx read back with python-docx, and printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from planner import Plan, PlanError, load_plan, schedule
from planner.report import build_report, find_browser, report_filename
from planner.status_edits import set_status
from planner.status_summary import MAX_ROWS, chefforum_status

APRIL_15 = dt.date(2026, 4, 15)
REQUIRED = bool(os.environ.get("PLANNER_REQUIRE_BROWSER"))  # CI: a missing tool fails instead of skipping


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        if REQUIRED:
            raise RuntimeError(f"{tool} mangler")
        pytest.skip(f"{tool} is not installed")


def _text(doc: object) -> str:
    paragraphs = [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]  # type: ignore[attr-defined]
    return "\n".join(paragraphs + cells)


@pytest.fixture(scope="module")
def report_bytes(sample_plan: Plan) -> bytes:
    _need("chromium")
    report = build_report(sample_plan, as_of=APRIL_15)
    assert report.picture_problem is None, report.picture_problem
    return report.data


def test_the_report_has_title_date_summary_picture_and_the_departments(report_bytes: bytes) -> None:
    doc = Document(io.BytesIO(report_bytes))
    assert doc.paragraphs[0].text == "Status på udrulningen af MFR"
    assert doc.paragraphs[0].style.name == "Title"
    text = _text(doc)
    assert "status pr. 15.04.2026 (uge 16)" in text
    assert f"Pr. 15.04.2026 (uge 16) er 8 af {len(schedule(load_plan()))} aktiviteter gennemført" in text
    for department in ("Børn & Familie", "Dagtilbud & Skoler", "Økonomi & Stab", "Ældre, Sundhed & Social"):
        assert department in text
    # The Gantt: one PNG picture, on a landscape page of its own.
    assert len(doc.inline_shapes) == 1
    picture = doc.inline_shapes[0]
    image = doc.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.content_type == "image/png" and len(image.blob) > 50_000
    assert [s.orientation for s in doc.sections] == [0, 1, 0]  # portrait, landscape, portrait
    assert picture.width <= doc.sections[1].page_width - doc.sections[1].left_margin - doc.sections[1].right_margin
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Resumé", "Tidsplan", "Status i tal", "Andel gennemført pr. bølge og afdeling"]
    assert doc.core_properties.language == "da-DK"


def test_the_report_opens_in_libreoffice_with_a_landscape_gantt_page(report_bytes: bytes, tmp_path: Path) -> None:
    _need("soffice")
    _need("pdftotext")
    source = tmp_path / "status.docx"
    source.write_bytes(report_bytes)
    # A profile of its own: another LibreOffice running on the machine would otherwise take the job.
    profile = (tmp_path / "lo-profile").as_uri()
    convert = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*convert, "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "status.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "3", str(pdf)], capture_output=True, text=True, check=True)
    lines = info.stdout.splitlines()
    sizes = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Page") and "size" in line]
    assert sizes[0].startswith("595") and sizes[1].startswith("841")  # A4 portrait, then A4 landscape
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())  # table cells wrap at the column's width
    assert "Status på udrulningen af MFR" in text and "15.04.2026" in text
    assert "Kultur, Fritid & Ejendomme" in text


def test_without_a_browser_the_report_says_what_to_install(sample_plan: Plan, tmp_path: Path) -> None:
    report = build_report(sample_plan, as_of=APRIL_15, browser=tmp_path / "ingen-chromium")
    assert report.picture_problem is not None and "apt-get install chromium" in report.picture_problem
    doc = Document(io.BytesIO(report.data))
    assert len(doc.inline_shapes) == 0
    assert report.picture_problem in [p.text for p in doc.paragraphs]
    assert "Andel gennemført pr. bølge og afdeling" in _text(doc)  # the rest of the report is there


def test_a_department_report_shows_only_that_department(sample_plan: Plan, tmp_path: Path) -> None:
    report = build_report(sample_plan, as_of=APRIL_15, department="born-og-familie", browser=tmp_path / "x")
    text = _text(Document(io.BytesIO(report.data)))
    assert "Status på udrulningen af MFR – Børn & Familie" in text
    assert "Dagtilbud & Skoler" not in text
    assert report_filename(APRIL_15, "Børn & Familie") == "mfr-status-2026-04-15-born-og-familie.docx"


def test_an_unknown_department_is_refused(sample_plan: Plan) -> None:
    with pytest.raises(PlanError, match="afdelingen 'Teknik' findes ikke"):
        chefforum_status(sample_plan, APRIL_15, department="Teknik")


def test_notes_are_kept_as_text_even_with_tags_and_control_characters(sample_plan: Plan, tmp_path: Path) -> None:
    key = "b1/dagtilbud-skoler/orientering"
    plan = set_status(sample_plan, schedule(sample_plan), key, "i gang", source="s", note="<b>Flyttet</b>\x0b =1+1")
    report = build_report(plan, as_of=APRIL_15, browser=tmp_path / "x")
    assert "<b>Flyttet</b> =1+1" in _text(Document(io.BytesIO(report.data)))


def test_long_tables_are_cut_with_a_line_saying_how_many_more(sample_plan: Plan) -> None:
    from planner.synthetic import large_plan

    big = large_plan(sample_plan, units=60)
    status = chefforum_status(big, dt.date(2026, 12, 1))
    overdue = "Forsinkede aktiviteter"
    assert len(status.tables[overdue]) == MAX_ROWS
    assert status.more[overdue] == int(status.table["overdue"].sum()) - MAX_ROWS > 0


def test_the_browser_is_found_where_debian_puts_it() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no Debian chromium")
    assert find_browser() in (Path("/usr/bin/chromium"), Path(os.environ.get("BROWSER_PATH", "/usr/bin/chromium")))
