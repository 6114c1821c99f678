"""The status report for Chefforum as a Word document: summary, the Gantt as a picture, and the tables."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .calendar import plan_years, poor_weeks
from .gantt import Grouping, build_gantt
from .isoweeks import danish_date
from .model import Plan
from .status_summary import ChefforumStatus, chefforum_status
from .timeaxis import plan_span

__all__ = ["DOCX_MIME", "Report", "build_report", "find_browser", "gantt_picture", "report_filename"]

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_TEMPLATE = "plotly_white"
_A4 = (Cm(21.0), Cm(29.7))
_MARGIN = Cm(2.0)
_PICTURE_WIDTH_PX = 1600
# Text users typed may hold control characters that XML (and so Word) cannot store.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INSTALL = (
    "Gantt-diagrammet kunne ikke tegnes, fordi der ikke er en Chromium-browser på maskinen. "
    "Installér den (Debian/Ubuntu: 'apt-get install chromium'), eller sæt BROWSER_PATH til en Chrome eller Chromium."
)


class PictureError(RuntimeError):
    """The Gantt could not be drawn as a picture; the message says what to install or fix, in Danish."""


@dataclass(frozen=True)
class Report:
    """A finished report: the .docx bytes, and why the picture is missing (None when it is there)."""

    data: bytes
    picture_problem: str | None


def find_browser() -> Path | None:
    """Return the Chromium the picture is drawn with: `BROWSER_PATH`, Debian's, or one on PATH; never a download."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return Path(configured)
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def gantt_picture(fig: go.Figure, *, browser: Path | None, width: int = _PICTURE_WIDTH_PX) -> bytes:
    """Return `fig` as PNG bytes drawn by Plotly's kaleido in `browser`, or raise PictureError."""
    if browser is None or not browser.is_file():
        raise PictureError(_INSTALL)
    try:
        import kaleido
    except ImportError:
        raise PictureError(
            "Gantt-diagrammet kunne ikke tegnes: installér kaleido (pip install -r requirements.txt)."
        ) from None
    height = int(fig.layout.height or 600)
    # The browser pipe logs messages it skips with a traceback; the report says what went wrong instead.
    for name in ("choreographer", "kaleido", "logistro"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        # mathjax=False: the page kaleido loads would otherwise fetch MathJax from the internet.
        png = kaleido.calc_fig_sync(
            fig,
            opts={"format": "png", "width": width, "height": height, "scale": 1.5},
            kopts={"path": str(browser), "mathjax": False},
        )
    except Exception as exc:  # kaleido and the browser fail in many ways; the report goes on without the picture
        raise PictureError(f"Gantt-diagrammet kunne ikke tegnes i {browser}: {type(exc).__name__}: {exc}") from None
    return bytes(png)


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
    if more:
        doc.add_paragraph(  # type: ignore[attr-defined]
            f"… og {more} rækker mere (se siden Status til Chefforum eller 'python -m planner status')."
        )


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


_PICTURE_ROWS = 40


def _picture_rows(sched: pd.DataFrame, findings: pd.DataFrame, group: str) -> pd.DataFrame:
    """Return the rows the picture needs: a large plan as one row per group, identical bars drawn once.

    The picture shows no hover text, so 2,000 units' identical bars in one collapsed row look the same
    drawn once; the browser then draws hundreds of bars instead of tens of thousands.
    """
    rows = sched["unit"].where(sched["unit"] != "", sched["activity"])
    if rows.nunique() <= _PICTURE_ROWS:
        return sched
    groups = sched[group].where(sched[group] != "", "–").astype("string")
    units = sched["unit_id"].where(sched["unit_id"] != "")
    counts = units.groupby(groups).nunique()
    collapsed = ("alle " + groups.map(counts).astype("string") + " enheder").where(sched["unit"] != "", sched["unit"])
    flagged = sched["activity_key"].isin(set(findings["activity_key"]))
    # Bars with a finding first, so the one kept of identical bars keeps its red outline.
    reduced = sched.assign(unit=collapsed, _flag=flagged).sort_values("_flag", ascending=False, kind="stable")
    reduced = reduced.drop_duplicates([group, "unit", "activity_id", "start_date", "end_date", "kind", "wave"])
    return reduced.drop(columns="_flag").sort_index()


def _figure(plan: Plan, status: ChefforumStatus) -> go.Figure:
    sched = status.schedule
    first, last = plan_span(sched, plan.milestones) if len(sched) else (status.as_of, status.as_of)
    # A plan with many departments is drawn one row per wave, so the picture stays readable on a page.
    group_by: Grouping = "wave" if sched["department"].nunique() > 12 else "department"
    column = "wave_name" if group_by == "wave" else "department"
    return build_gantt(
        _picture_rows(sched, status.findings, column),
        template=CHART_TEMPLATE,
        milestones=None if status.department else plan.milestones,
        poor_weeks=poor_weeks(plan.school_holidays, plan_years(first, last)),
        findings=status.findings,
        group_by=group_by,
        today=status.as_of,
        max_rows=None,
    )


def _picture(doc: object, png: bytes) -> None:
    from PIL import Image  # installed with Streamlit; reads the picture's size only

    with Image.open(io.BytesIO(png)) as image:
        width_px, height_px = image.size
    page_width, page_height = _A4[1] - 2 * _MARGIN, _A4[0] - 2 * _MARGIN - Cm(2.5)  # landscape, under a heading
    scale = min(page_width / width_px, page_height / height_px)
    doc.add_picture(io.BytesIO(png), width=int(width_px * scale), height=int(height_px * scale))  # type: ignore[attr-defined]


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

    doc.add_heading(_clean(status.title), level=0)
    doc.add_paragraph(
        f"Til Chefforum · status pr. {danish_date(as_of)} (uge {status.week}) · {_clean(plan.settings.title)}"
    )
    doc.add_heading("Resumé", level=1)
    for sentence in status.sentences:
        doc.add_paragraph(_clean(sentence), style="List Bullet")

    landscape = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(landscape, landscape=True)
    doc.add_heading("Tidsplan", level=1)
    problem: str | None = None
    try:
        _picture(doc, gantt_picture(_figure(plan, status), browser=browser or find_browser()))
        doc.add_paragraph(
            "Søjlerne er farvet efter bølge. Grå uger: skoleferie eller helligdag. Rød ramme: fund i plantjekket. "
            f"Den stiplede linje er rapportens dato, {danish_date(as_of)}."
        )
    except PictureError as exc:
        problem = str(exc)
        doc.add_paragraph(problem)

    portrait = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(portrait, landscape=False)
    doc.add_heading("Status i tal", level=1)
    for heading, frame in status.tables.items():
        _table(doc, heading, frame, status.more[heading])

    out = io.BytesIO()
    doc.save(out)
    return Report(out.getvalue(), problem)


def report_filename(as_of: dt.date, department: str | None = None) -> str:
    """Return `mfr-status-2026-04-15.docx`, with the department's slug when there is one."""
    from .views import slug

    suffix = f"-{slug(department)}" if department else ""
    return f"mfr-status-{as_of.isoformat()}{suffix}.docx"
