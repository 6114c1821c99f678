"""The status report for Chefforum as a Word document: summary, the Gantt as a picture, and the tables."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .isoweeks import danish_date
from .model import Plan
from .report_figure import PictureError, draw_pages, find_browser, print_pages, report_figure
from .status_summary import ChefforumStatus, chefforum_status

__all__ = ["DOCX_MIME", "Report", "build_report", "find_browser", "report_filename"]

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_A4 = (Cm(21.0), Cm(29.7))
_MARGIN = Cm(2.0)
_EMU_PER_CM = 360_000
# A landscape page is 17 cm high inside its margins; the heading and the two-line caption take the rest.
_PICTURE_HEIGHT_CM = 13.8
# Text users typed may hold control characters that XML (and so Word) cannot store.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Report:
    """A finished report: the .docx bytes, and why the picture is missing (None when it is there)."""

    data: bytes
    picture_problem: str | None


def _clean(text: object) -> str:
    return _CONTROL.sub("", str(text))


def _danish(doc: object) -> None:
    # Word and LibreOffice check spelling in the language of the text: Danish, not US English.
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    rpr.append(lang)


def _page(section: object, *, landscape: bool) -> None:
    width, height = _A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = (height, width) if landscape else (width, height)  # type: ignore[attr-defined]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _MARGIN)


def _table(doc: object, heading: str, frame: pd.DataFrame, more: int) -> None:
    doc.add_heading(heading, level=2)  # type: ignore[attr-defined]
    if frame.empty:
        doc.add_paragraph("Ingen.")  # type: ignore[attr-defined]
        return
    table = doc.add_table(rows=1, cols=len(frame.columns))  # type: ignore[attr-defined]
    table.style = "Light Grid Accent 1"
    table.autofit = False
    # The style's bold first column would make every unit name look like a heading: header row only.
    tbl_pr = table._tbl.tblPr
    for look in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(look)
    look = OxmlElement("w:tblLook")
    look.set(qn("w:val"), "0420")  # first row + no vertical bands, the bit field Word reads
    for key, value in (("firstRow", "1"), ("firstColumn", "0"), ("lastRow", "0"), ("lastColumn", "0")):
        look.set(qn(f"w:{key}"), value)
    look.set(qn("w:noHBand"), "0")
    look.set(qn("w:noVBand"), "1")
    tbl_pr.append(look)
    widths = _widths(frame)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by; the cell widths are what Word reads
    for cell, name, width in zip(table.rows[0].cells, frame.columns, widths, strict=True):
        cell.text = _clean(name)
        cell.width = width
    for values in frame.itertuples(index=False, name=None):
        for cell, value, width in zip(table.add_row().cells, values, widths, strict=True):
            cell.text = _clean(value)
            cell.width = width
    # A table continued on the next page repeats its column headings there; a row is never split.
    for row in table.rows:
        _row_flag(row, "w:cantSplit")
    _row_flag(table.rows[0], "w:tblHeader")  # after cantSplit: Word reads trPr's children in schema order
    if more:
        doc.add_paragraph(  # type: ignore[attr-defined]
            f"… og {more} {'række' if more == 1 else 'rækker'} mere, som ikke er vist her "
            "(se siden Status til Chefforum eller 'python -m planner status')."
        )


def _row_flag(row: Any, tag: str) -> None:
    """Set an on/off property (tblHeader, cantSplit) of a table row."""
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _widths(frame: pd.DataFrame) -> list[int]:
    """Return column widths in EMU: every column fits its longest word, the rest goes to long texts."""
    need, want = [], []
    for name in frame.columns:
        texts = [str(name), *frame[name].astype("string").fillna("").tolist()]
        longest_word = max((len(w) for t in texts for w in t.split()), default=4)
        need.append(max(4, longest_word) + 2)
        want.append(min(45, max(len(t) for t in texts)) + 2)
    usable = int(_A4[0] - 2 * _MARGIN)
    per_char = usable / max(sum(need), 1)
    spare = sum(want) - sum(need)
    if sum(need) >= 60 or spare <= 0:  # about 60 characters fit across a portrait page at this size
        return [int(per_char * n) for n in need]
    char = usable / 60
    left = usable - char * sum(need)
    return [int(char * n + left * (w - n) / spare) for n, w in zip(need, want, strict=True)]


def _field(paragraph: Any, code: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the pages."""

    def run_with(tag: str, **attrs: str) -> Any:
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        paragraph.add_run()._r.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText", **{"xml:space": "preserve"}).text = f" {code} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")  # shown until the reader lays out the pages
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _header_footer(section: Any, *, plan_title: str, as_of: dt.date, department: str | None) -> None:
    """Put the plan, the date and the department at the top of every page, and "Side x af y" at the bottom."""
    parts = [_clean(plan_title), f"Status pr. {danish_date(as_of)}", *([_clean(department)] if department else [])]
    header = section.header.paragraphs[0]
    header.text = " · ".join(parts)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Side ")
    _field(footer, "PAGE")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)


def _pictures(doc: Any, plan: Plan, status: ChefforumStatus, browser: Path | None) -> None:
    """Add the Gantt at the full width of the landscape page, on as many pages as its rows need; raise PictureError."""
    section = doc.sections[-1]
    width = (section.page_width - section.left_margin - section.right_margin) / _EMU_PER_CM
    pages = print_pages(report_figure(plan, status), width_cm=width, height_cm=_PICTURE_HEIGHT_CM)
    pngs = draw_pages(pages, browser=browser)
    for i, (page, png) in enumerate(zip(pages, pngs, strict=True)):
        doc.add_picture(io.BytesIO(png), width=Cm(page.width_cm), height=Cm(page.height_cm))
        # The break belongs to the picture's paragraph: a break of its own after a full page left a blank page.
        doc.paragraphs[-1].paragraph_format.page_break_before = i > 0


def build_report(
    plan: Plan,
    *,
    as_of: dt.date,
    department: str | None = None,
    browser: Path | None = None,
    status: ChefforumStatus | None = None,
) -> Report:
    """Return the Chefforum status report as .docx bytes; without a browser the picture is a line saying why.

    `browser` defaults to `find_browser()`; `status` is `chefforum_status(...)` when the caller has it.
    """
    status = status or chefforum_status(plan, as_of, department=department)
    doc = Document()
    _danish(doc)
    doc.core_properties.title = status.title
    doc.core_properties.author = "MFR-planlæggeren"
    doc.core_properties.language = "da-DK"
    _page(doc.sections[0], landscape=False)
    _header_footer(doc.sections[0], plan_title=plan.settings.title, as_of=as_of, department=status.department)

    doc.add_heading(_clean(status.title), level=0)
    doc.add_paragraph(
        f"Til Chefforum · status pr. {danish_date(as_of)} (uge {status.week}) · {_clean(plan.settings.title)}"
    )
    doc.add_heading("Resumé", level=1)
    for sentence in status.sentences:
        doc.add_paragraph(_clean(sentence), style="List Bullet")
    # The numbers follow the summary on the first page: Chefforum reads them first, and the Gantt
    # needs a landscape page's width to print at a readable size, so it comes last.
    doc.add_heading("Status i tal", level=1)
    for heading, frame in status.tables.items():
        _table(doc, heading, frame, status.more[heading])

    landscape = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(landscape, landscape=True)
    doc.add_heading("Tidsplan", level=1)
    rows = "én række pr. aktivitet" if status.department else "én række pr. enhed"
    doc.add_paragraph(
        f"Søjlerne er farvet og skraveret efter bølge, {rows}. Grå uger: skoleferie eller helligdag. "
        "Sort ramme: fund i plantjekket, om fremdriften eller forsinket. Ruder: milepæle. "
        f"Den stiplede linje er rapportens dato, {danish_date(as_of)}."
    )
    problem: str | None = None
    try:
        _pictures(doc, plan, status, browser or find_browser())
    except PictureError as exc:
        problem = str(exc)
        doc.add_paragraph(problem)

    out = io.BytesIO()
    doc.save(out)
    return Report(out.getvalue(), problem)


def report_filename(as_of: dt.date, department: str | None = None) -> str:
    """Return `mfr-status-2026-04-15.docx`, with the department's slug when there is one."""
    from .views import slug

    suffix = f"-{slug(department)}" if department else ""
    return f"mfr-status-{as_of.isoformat()}{suffix}.docx"
