"""What every page shares: the store, the bank, and the assessment this session is working on.

The assessment's id lives in the URL (``?a=…``), so a refresh, a closed tab or a server restart
brings the user back to it; the assessment itself is read from the store once per session.
"""

from __future__ import annotations

import streamlit as st

from assessment.model import Assessment, AssessmentError
from assessment.store import Store, default_path
from questions.loader import get_bank
from questions.models import QuestionBank

PARAM = "a"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    return _store(str(default_path()))


def bank() -> QuestionBank:
    return get_bank()


def bootstrap() -> None:
    """Run before every page: keep the URL and the session pointing at the same assessment."""
    wanted = st.query_params.get(PARAM)
    held: Assessment | None = st.session_state.get("assessment")
    if wanted and (held is None or held.id != wanted):
        try:
            st.session_state["assessment"] = store().get(wanted)
        except AssessmentError as error:
            st.session_state.pop("assessment", None)
            del st.query_params[PARAM]
            st.session_state["notice"] = str(error)
    elif held is not None and not wanted:
        st.query_params[PARAM] = held.id


def current() -> Assessment | None:
    return st.session_state.get("assessment")


def open_assessment(assessment: Assessment) -> None:
    st.session_state["assessment"] = assessment
    st.query_params[PARAM] = assessment.id


def close_assessment() -> None:
    st.session_state.pop("assessment", None)
    st.query_params.pop(PARAM, None)


def require_assessment() -> Assessment:
    """The open assessment, or a pointer to the Start page and a stop."""
    assessment = current()
    if assessment is None:
        st.info("Start a new self-assessment, or resume one, on the Start page first.")
        st.page_link("app_pages/start.py", label="Go to the Start page", icon=":material/arrow_forward:")
        st.stop()
    return assessment


def link_params() -> dict[str, str]:
    """Query parameters that keep the assessment when following a page link."""
    assessment = current()
    return {PARAM: assessment.id} if assessment else {}
