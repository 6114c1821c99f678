"""Rediger plan → Importér fra Excel: a week plan edited in Excel, previewed and explained before it is saved."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from app_pages.common import analysis_of, findings_table, md_list, md_text
from app_pages.editing import EditSession, merged_preview, new_findings, save
from planner import PlanError
from planner.checks import has_errors
from planner.editor_view import danish_weeks
from planner.excel_import import MAX_UPLOAD_BYTES, ImportPreview, preview_import
from planner.views import analyse

CHANGE_LABELS = {
    "change": "Ændring",
    "unit": "Enhed",
    "activity": "Aktivitet",
    "from_week": "Fra uge",
    "to_week": "Til uge",
}


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Return an import's changes with Danish headings and weeks as `uge 16 2026`."""
    out = changes.copy()
    for column in ("from_week", "to_week"):
        out[column] = danish_weeks(out[column])
    out["unit"] = out["unit"].where(out["unit"] != "", "Fælles")
    return out.rename(columns=CHANGE_LABELS)


def _preview(session: EditSession, name: str, data: bytes) -> ImportPreview:
    # Read once per file and base revision, not on every rerun of the page.
    digest = (hashlib.sha256(data).hexdigest(), session.base)
    cached = st.session_state.get("rp_import_cache")
    if cached and cached[0] == digest:
        return cached[1]  # type: ignore[no-any-return]
    with st.spinner(f"Læser {md_text(name)} og tjekker planen …"):
        preview = preview_import(session.base_plan, data)
    st.session_state.rp_import_cache = (digest, preview)
    return preview


def render(session: EditSession) -> None:
    """Show the upload, the one-line summary, the changes, notes and findings, and the apply button."""
    st.caption(
        "Hent ugeplanen (Overblik eller Min afdeling), ret uger eller datoer i arket Aktiviteter eller flyt "
        "bjælker i Ugeplan, og upload den her. Kun det, projektmappen dækker, ændres; en aktivitet fjernes "
        "kun, hvis dens række er markeret i kolonnen Slet."
    )
    upload = st.file_uploader(
        "Upload en ugeplan (.xlsx)",
        type=["xlsx"],
        key="rp_upload",
        max_upload_size=MAX_UPLOAD_BYTES // 1024 // 1024,
    )
    if upload is None:
        return
    try:
        preview = _preview(session, upload.name, upload.getvalue())
    except PlanError as exc:
        st.error("Projektmappen kan ikke bruges; intet er ændret:")
        st.markdown(md_list([str(p) for p in exc.problems]))
        return
    st.markdown(f"**{preview.summary}.**")
    st.caption(md_text(preview.scope))
    if preview.notes:
        st.warning("Bemærk – ikke alt i projektmappen bruges:\n\n" + md_list([str(n) for n in preview.notes]))
    if preview.changes.empty:
        st.info("Projektmappen ændrer ikke planen.")
        return
    st.dataframe(changes_table(preview.changes), hide_index=True, key="rp_import_changes")
    to_save, chosen, _ = merged_preview(session, preview.plan, "import")
    if to_save is None:
        st.button("Anvend og gem", type="primary", disabled=True, key="rp_import_save")
        return
    findings = analyse(to_save).findings if session.stale else preview.findings
    added = new_findings(analysis_of(session.latest).findings, findings)
    if len(added):
        (st.error if has_errors(added) else st.warning)(
            f"Importen giver {len(added)} {'nyt fund' if len(added) == 1 else 'nye fund'} i tjekket af planen:"
        )
        st.dataframe(findings_table(added), hide_index=True, key="rp_import_findings")
    if has_errors(findings):
        st.error("Den importerede plan har fejl og kan ikke gemmes.")
        if not has_errors(added):
            st.dataframe(findings_table(findings), hide_index=True, key="rp_import_all_findings")
        return
    confirmed = True
    if preview.removals:
        n = preview.removals
        confirmed = st.checkbox(
            f"Ja, fjern {n} {'aktivitet' if n == 1 else 'aktiviteter'} fra planen (markeret med Slet)",
            key="rp_import_confirm",
        )
    if st.button("Anvend og gem", type="primary", disabled=not confirmed, key="rp_import_save"):
        save(session, preview.plan, f"Importeret fra {upload.name}", chosen or None)
