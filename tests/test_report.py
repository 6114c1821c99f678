"""The Chefforum report: a real .docx read back with python-docx, and printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from planner import Plan, PlanError, load_plan, schedule
from planner.checks import check
from planner.report import build_report, find_browser, report_filename
from planner.report_figure import FONT_PX, FRAME_LEGEND, PRINT_SCALE, PX_PER_CM, print_pages, report_figure
from planner.status_edits import set_status
from planner.status_summary import (
    MAX_ROWS,
    OVERDUE_TABLE,
    PLAN_CHECK_TABLE,
    PROGRESS_TABLE,
    chefforum_status,
)

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


@pytest.fixture(scope="module")
def report_pdf(report_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need("soffice")
    folder = tmp_path_factory.mktemp("pdf")
    source = folder / "status.docx"
    source.write_bytes(report_bytes)
    # A profile of its own: another LibreOffice running on the machine would otherwise take the job.
    profile = (folder / "lo-profile").as_uri()
    convert = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*convert, "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / "status.pdf"


def _pictures(doc: object) -> list[tuple[int, bytes]]:
    """Return each picture's printed width (EMU) and its PNG bytes."""
    out = []
    for shape in doc.inline_shapes:  # type: ignore[attr-defined]
        part = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]  # type: ignore[attr-defined]
        assert part.content_type == "image/png"
        out.append((int(shape.width), part.blob))
    return out


def test_the_report_has_title_date_summary_numbers_then_the_gantt_on_landscape_pages(report_bytes: bytes) -> None:
    doc = Document(io.BytesIO(report_bytes))
    assert doc.paragraphs[0].text == "Status på udrulningen af MFR"
    assert doc.paragraphs[0].style.name == "Title"
    text = _text(doc)
    assert "status pr. 15.04.2026 (uge 16)" in text
    assert f"Pr. 15.04.2026 (uge 16) er 8 af {len(schedule(load_plan()))} aktiviteter gennemført" in text
    for department in ("Børn & Familie", "Dagtilbud & Skoler", "Økonomi & Stab", "Ældre, Sundhed & Social"):
        assert department in text
    # Summary and tables on portrait pages first, the Gantt last at a landscape page's full width.
    assert [s.orientation for s in doc.sections] == [0, 1]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Resumé", "Status i tal", "Andel gennemført pr. bølge og afdeling"]
    assert headings[-1] == "Tidsplan"
    landscape = doc.sections[1]
    usable = landscape.page_width - landscape.left_margin - landscape.right_margin
    pictures = _pictures(doc)
    assert len(pictures) >= 1 and all(len(png) > 20_000 for _, png in pictures)
    assert all(abs(width - usable) < 10_000 for width, _ in pictures)
    assert doc.core_properties.language == "da-DK"


def test_the_gantt_prints_its_text_at_8_pt_or_more(report_bytes: bytes) -> None:
    from PIL import Image

    doc = Document(io.BytesIO(report_bytes))
    section = doc.sections[1]
    for width_emu, png in _pictures(doc):
        with Image.open(io.BytesIO(png)) as image:
            layout_px = image.size[0] / PRINT_SCALE
            height_emu = width_emu * image.size[1] / image.size[0]
        printed_pt = FONT_PX * (width_emu / 12_700) / layout_px  # 12,700 EMU to the point
        assert printed_pt >= 8, printed_pt
        assert height_emu <= section.page_height - section.top_margin - section.bottom_margin


def test_every_text_of_the_printed_gantt_is_at_least_the_print_size(sample_plan: Plan) -> None:
    status = chefforum_status(sample_plan, APRIL_15)
    pages = print_pages(report_figure(sample_plan, status), width_cm=25.7, height_cm=13.8)
    assert len(pages) >= 2  # 28 rows do not fit one page at this size: a second page, not smaller text
    for page in pages:
        layout = page.figure.layout
        assert layout.width == round(25.7 * PX_PER_CM)
        assert layout.font.size >= FONT_PX and layout.legend.font.size >= FONT_PX
        assert all(a.font.size is None or a.font.size >= FONT_PX for a in layout.annotations)
        assert page.height_cm <= 13.8
    # Every row is on exactly one page.
    spans = [sorted(p.figure.layout.yaxis.range) for p in pages]
    rows = len(pages[0].figure.layout.yaxis.categoryarray)
    assert spans[0][0] == -0.5 and spans[-1][1] == rows - 0.5
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


def test_frames_and_waves_survive_a_greyscale_print(sample_plan: Plan) -> None:
    fig = report_figure(sample_plan, chefforum_status(sample_plan, APRIL_15))
    frame = next(t for t in fig.data if t.name == FRAME_LEGEND)
    colour = frame.marker.line.color.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    assert 0.299 * red + 0.587 * green + 0.114 * blue < 60 and frame.marker.line.width >= 3  # dark and thick
    waves = {t.legendgroup: (t.marker.pattern.shape or "") for t in fig.data if t.type == "bar" and t.legendgroup}
    assert set(waves) == {"wave-1", "wave-2", "wave-3", "wave-0"}
    assert len(set(waves.values())) == 4  # in grey the hatching tells the waves apart


def test_a_department_gantt_has_a_row_per_activity_the_status_line_and_milestones(sample_plan: Plan) -> None:
    status = chefforum_status(sample_plan, APRIL_15, department="born-familie")
    fig = report_figure(sample_plan, status)
    labels = list(fig.layout.yaxis.ticktext)
    for activity in status.schedule["activity"]:
        assert activity in labels
    first, last = (dt.date.fromisoformat(d[:10]) for d in fig.layout.xaxis.range)
    assert first < APRIL_15 < last
    line = [s for s in fig.layout.shapes if s.type == "line" and s.x0 == "2026-04-15"]
    assert len(line) == 1
    assert [a.text for a in fig.layout.annotations if a.x == "2026-04-15"] == ["status pr. 15.04.2026"]
    diamonds = {x for t in fig.data if str(t.name).startswith("Milepæl") for x in t.x}
    assert {"2026-02-24", "2026-03-04", "2026-04-28"} <= diamonds  # the ones in its period, up to 4 weeks ahead


def test_the_report_opens_in_libreoffice_with_header_footer_and_landscape_gantt_pages(report_pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(report_pdf) as pdf:
        pages = [(page.width, page.extract_text() or "") for page in pdf.pages]
    assert pages[0][0] < 600 and pages[-1][0] > 800  # A4 portrait first, A4 landscape last
    text = " ".join(" ".join(t.split()) for _, t in pages)
    assert "Status på udrulningen af MFR" in text and "Andel gennemført pr. bølge og afdeling" in text
    for number, (_, page_text) in enumerate(pages, start=1):
        assert "Udrulning af Mit Forventede Regnskab og Budget 2027 · Status pr. 15.04.2026" in page_text
        assert f"Side {number} af {len(pages)}" in page_text


def test_a_table_continued_on_the_next_page_repeats_its_column_headings(report_bytes: bytes, report_pdf: Path) -> None:
    import pdfplumber

    doc = Document(io.BytesIO(report_bytes))
    heads = set()
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        heads.add(tuple(c.text for c in table.rows[0].cells))
    continued = 0
    with pdfplumber.open(report_pdf) as pdf:
        for page in pdf.pages[1:]:
            tables = page.find_tables()
            words = page.extract_words()
            body = [w for w in words if w["top"] > 60]  # below the page header
            if not tables or not body or tables[0].bbox[1] > body[0]["top"] + 2:
                continue  # the page begins with a heading or text, not with a table going on
            continued += 1
            first_row = tuple(" ".join((c or "").split()) for c in tables[0].extract()[0])
            assert first_row in heads, first_row
    assert continued >= 1  # the sample's tables do run over a page


def test_without_a_browser_the_report_says_what_to_install(sample_plan: Plan, tmp_path: Path) -> None:
    report = build_report(sample_plan, as_of=APRIL_15, browser=tmp_path / "ingen-chromium")
    assert report.picture_problem is not None and "apt-get install chromium" in report.picture_problem
    doc = Document(io.BytesIO(report.data))
    assert len(doc.inline_shapes) == 0
    assert report.picture_problem in [p.text for p in doc.paragraphs]
    assert "Andel gennemført pr. bølge og afdeling" in _text(doc)  # the rest of the report is there


def test_a_department_report_shows_only_that_department(sample_plan: Plan, tmp_path: Path) -> None:
    report = build_report(sample_plan, as_of=APRIL_15, department="born-og-familie", browser=tmp_path / "x")
    doc = Document(io.BytesIO(report.data))
    text = _text(doc)
    assert "Status på udrulningen af MFR – Børn & Familie" in text
    assert "Dagtilbud & Skoler" not in text
    assert doc.sections[0].header.paragraphs[0].text == (
        "Udrulning af Mit Forventede Regnskab og Budget 2027 · Status pr. 15.04.2026 · Børn & Familie"
    )
    footer = doc.sections[0].footer.paragraphs[0]
    assert [i.text.strip() for i in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Side ")
    assert report_filename(APRIL_15, "Børn & Familie") == "mfr-status-2026-04-15-born-og-familie.docx"


@pytest.mark.parametrize("department", [None, "born-familie", "Ældre, Sundhed & Social"])
def test_summary_counts_agree_with_the_tables_and_with_planner_check(sample_plan: Plan, department: str | None) -> None:
    sched = schedule(sample_plan)
    status = chefforum_status(sample_plan, APRIL_15, department=department, sched=sched)
    plan_check = check(sample_plan, sched)  # what `python -m planner check` reports: no date, no progress
    if department:
        plan_check = plan_check[plan_check["unit_id"].isin(set(status.schedule["unit_id"]))]
    text = " ".join(status.sentences)
    n_check = len(status.tables[PLAN_CHECK_TABLE])
    assert n_check == len(plan_check)
    assert f"Plantjekket giver 0 fejl og {n_check} advars" in text
    overdue = len(status.tables[OVERDUE_TABLE])
    assert overdue == int(status.table["overdue"].sum())
    assert f"{overdue} aktivitet{'er er' if overdue != 1 else ' er'} forsinket" in text
    on_progress = len(status.tables[PROGRESS_TABLE])
    if on_progress:
        assert f"Fremdriften giver {on_progress} advars" in text
    # Nothing counted twice: the three tables together are all the findings of the date.
    assert n_check + on_progress + overdue == len(status.findings)


def test_the_next_four_weeks_show_a_long_running_activity_as_ongoing(sample_plan: Plan) -> None:
    table = chefforum_status(sample_plan, APRIL_15).tables["De næste 4 uger"]
    vision = table[table["Aktivitet"] == "Vision og politikker 2027-2030 udarbejdes"]
    assert vision["Uge"].tolist() == ["i gang, uge 5–50"]
    assert "uge 5" not in table["Uge"].tolist()
    assert table["Uge"].iloc[0] == "uge 16"  # what starts comes first


def test_every_coming_milestone_of_the_budget_year_is_listed(sample_plan: Plan) -> None:
    status = chefforum_status(sample_plan, APRIL_15)
    coming = status.tables["Kommende milepæle"]
    assert {"08.09.2026", "06.10.2026", "15.10.2026"} <= set(coming["Dato"])
    assert len(coming) == int((sample_plan.milestones["date"] >= pd.Timestamp(APRIL_15)).sum())
    passed = status.tables["Milepæle, der er passeret"]
    assert len(passed) + len(coming) == len(sample_plan.milestones) and status.more["Kommende milepæle"] == 0


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
    overdue = OVERDUE_TABLE
    assert len(status.tables[overdue]) == MAX_ROWS
    assert status.more[overdue] == int(status.table["overdue"].sum()) - MAX_ROWS > 0


def test_the_browser_is_found_where_debian_puts_it() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no Debian chromium")
    assert find_browser() in (Path("/usr/bin/chromium"), Path(os.environ.get("BROWSER_PATH", "/usr/bin/chromium")))
