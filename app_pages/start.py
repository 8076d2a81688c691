"""Start page: start this year's self-assessment, resume a saved one, or try the example."""

from __future__ import annotations

import functools
from datetime import date

import streamlit as st

from app_pages import state
from app_pages.components import plain
from assessment.files.excel.template import build_template
from assessment.files.safety import UPLOAD_LIMIT_TEXT
from assessment.free_text import clean_line
from assessment.model import AssessmentError
from assessment.services import (
    AlreadyExists,
    ImportWouldReplace,
    add_returns,
    areas_to_start,
    create_example,
    get_assessment,
    list_assessments,
    read_upload,
    save_import,
    start_assessment,
)

bank = state.bank()
store = state.store()
actor = state.actor()
# Shared mode: a coordinator starts assessments for their own areas only; an inspector or contributor none.
startable = areas_to_start(store, actor=actor)

st.title("IOM partnership self-assessment", anchor=False)
if notice := st.session_state.pop("notice", None):
    st.warning(plain(notice))

st.markdown(
    "Use this service to assess how well your local Integrated Offender Management (IOM) partnership "
    "works, against the six IOM Key Principles (2015) and the involvement of each partner agency.\n\n"
    "- It takes about an hour, and you do not have to finish in one sitting: **every answer is saved as "
    "soon as you give it**. Bookmark the page, or come back here and choose your assessment.\n"
    "- It assesses the partnership, **never individuals**. Do not enter names or other details "
    "about offenders, victims or staff in answers or notes."
)

current = state.current()
if current is not None:
    with st.container(border=True):
        st.header(f"You are working on {plain(current.title)}", anchor=False)
        cols = st.columns(3)
        cols[0].page_link(
            "app_pages/survey.py",
            label="Continue answering",
            icon=":material/edit_note:",
            query_params=state.link_params(),
        )
        cols[1].page_link(
            "app_pages/results.py",
            label="See the results",
            icon=":material/bar_chart:",
            query_params=state.link_params(),
        )
        if cols[2].button("Close this assessment", key="start.close"):
            state.close_assessment()
            st.rerun()

left, right = st.columns(2, gap="large")

with left:
    st.header("Start a new self-assessment", divider="gray", anchor=False)
    submitted = False
    if startable == []:
        st.write("Only a coordinator of an area can start its self-assessment. Resume one you have access to.")
    else:
        with st.form("start.new", enter_to_submit=True, border=False):
            if startable is None:
                area = st.text_input(
                    "Name of your IOM area",
                    max_chars=120,
                    help="For example the county, city or police force area your IOM board covers.",
                )
            else:
                area = st.selectbox("Your IOM area", options=[a.name for a in startable])
            year = st.number_input(
                "Year of the assessment", min_value=2000, max_value=2100, value=date.today().year, step=1, format="%d"
            )
            submitted = st.form_submit_button("Start", type="primary")
    if submitted:
        try:
            state.open_assessment(start_assessment(store, bank, area=area, year=int(year), actor=actor))
            st.session_state.pop("start.duplicate", None)
            st.switch_page("app_pages/survey.py", query_params=state.link_params())
        except AlreadyExists as error:
            st.session_state["start.duplicate"] = (area, int(year), error.existing[0].id)
        except AssessmentError as error:
            st.error(plain(error))
    if duplicate := st.session_state.get("start.duplicate"):
        area_d, year_d, existing_id = duplicate
        st.warning(
            f"There is already a self-assessment for {plain(area_d)} {year_d}. Resume it to carry on where you left off, "
            "or start a second one for the same year."
        )
        c1, c2 = st.columns(2)
        if c1.button("Resume that one", key="start.resume_existing", type="primary"):
            st.session_state.pop("start.duplicate")
            state.open_assessment(get_assessment(store, existing_id, actor=actor))
            st.switch_page("app_pages/survey.py", query_params=state.link_params())
        if c2.button("Start another one anyway", key="start.keep_both"):
            st.session_state.pop("start.duplicate")
            state.open_assessment(
                start_assessment(store, bank, area=area_d, year=year_d, allow_duplicate=True, actor=actor)
            )
            st.switch_page("app_pages/survey.py", query_params=state.link_params())

    st.subheader("New to this?", anchor=False)
    st.write(
        "See what the results look like before you start, with a made-up area whose answers are already filled in."
    )
    if st.button("Try it with example answers", key="start.example", icon=":material/science:"):
        state.open_assessment(create_example(store, bank, actor=actor))
        st.switch_page("app_pages/results.py", query_params=state.link_params())

with right:
    st.header("Resume a saved self-assessment", divider="gray", anchor=False)
    saved = list_assessments(store, actor=actor)
    if not saved:
        st.write("No self-assessments have been saved yet.")
    else:
        total = len(bank.statements())
        labels = {
            s.id: f"{clean_line(s.area)} {s.year} · {s.answered} of {total} answered · last saved {s.updated_at:%d %b %Y %H:%M}"
            for s in saved
        }
        chosen = st.selectbox(
            "Choose a self-assessment",
            options=list(labels),
            format_func=labels.__getitem__,
            index=None,
            placeholder="Choose an area and year",
            key="start.resume_choice",
        )
        if st.button("Resume", key="start.resume", disabled=chosen is None, type="primary"):
            state.open_assessment(get_assessment(store, chosen, actor=actor))
            st.switch_page("app_pages/survey.py", query_params=state.link_params())


def show_imported(saved, imported) -> None:
    """Open the imported assessment: straight to its results, or first the notes on what the import changed."""
    state.open_assessment(saved)
    notes = [*imported.changes, *imported.warnings]
    if not notes:
        st.switch_page("app_pages/results.py", query_params=state.link_params())
    st.success(f"Imported {plain(saved.title)}. Please read these notes:")
    for note in notes:
        st.info(plain(note))
    st.page_link(
        "app_pages/results.py", label="See the results", icon=":material/bar_chart:", query_params=state.link_params()
    )


st.header("Fill it in offline", divider="gray", anchor=False)
offline_left, offline_right = st.columns(2, gap="large")
with offline_left:
    st.write(
        "Download the blank template, fill it in in Excel or LibreOffice (a dropdown for every answer), and upload "
        "it here. You can also upload a report or a JSON file downloaded from the Results page."
    )
    st.download_button(
        "Download the blank template (Excel)",
        data=functools.partial(build_template, bank),
        file_name=f"IOM-self-assessment-template-{bank.version}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="start.template",
        icon=":material/download:",
        on_click="ignore",
    )
with offline_right:
    upload = st.file_uploader(
        "Upload a filled-in template, a report or a JSON file",
        type=["xlsx", "json"],
        key="start.upload",
        disabled=startable == [],  # only a coordinator may save an upload
        help=f"{UPLOAD_LIMIT_TEXT}. Every answer is checked before anything is saved.",
    )
    if st.button("Import", key="start.import", disabled=upload is None, type="primary"):
        st.session_state.pop("start.import_pending", None)
        try:
            imported = read_upload(bank, upload.getvalue(), filename=upload.name)
            show_imported(save_import(store, imported, actor=actor), imported)
        except ImportWouldReplace as error:
            st.session_state["start.import_pending"] = (imported, error.existing[0].id)
        except AssessmentError as error:
            st.error(plain(error), icon=":material/error:")
    if pending := st.session_state.get("start.import_pending"):
        imported, existing_id = pending
        st.warning(
            f"There is already a self-assessment for {plain(imported.assessment.title)}. Replace it with the uploaded "
            "one, or keep both?"
        )
        # Issue 10: a return filled in for one agency joins the others' answers, kept apart as that agency's own.
        if imported.assessment.respondents and st.button(
            "Add these answers to it as this agency's own", key="start.import_add", type="primary"
        ):
            st.session_state.pop("start.import_pending")
            try:
                show_imported(add_returns(store, bank, existing_id, imported, actor=actor), imported)
            except AssessmentError as error:
                st.error(plain(error), icon=":material/error:")
        replace_col, both_col = st.columns(2)
        choice = None
        if replace_col.button("Replace it", key="start.import_replace", type="primary"):
            choice = {"replace_id": existing_id}
        if both_col.button("Keep both", key="start.import_keep_both"):
            choice = {"keep_both": True}
        if choice is not None:
            st.session_state.pop("start.import_pending")
            try:
                show_imported(save_import(store, imported, actor=actor, **choice), imported)
            except AssessmentError as error:
                st.error(plain(error), icon=":material/error:")

st.divider()
st.caption(
    f"Question bank version {bank.version}: {sum(len(p.statements) for p in bank.principles)} statements "
    f"under the six principles and {len(bank.partners.partners)} partners. "
    "The questions are drawn from the Revolving Doors Agency briefing on IOM (2012), the Home Office and "
    "Ministry of Justice IOM Key Principles (2015) and the national survey of IOM partner involvement (2013)."
)
