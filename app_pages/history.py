"""History: every change to the open assessment, who made it (in shared mode) and when."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.components import plain, table
from assessment.audit import describe

bank = state.bank()
assessment = state.require_assessment()
changes = state.history()

st.title(f"History: {plain(assessment.title)}", anchor=False)
st.write(
    "Every change to this self-assessment, newest first: when, who made it, and what kind of change it was. "
    "Notes are not copied here: the history says only that a note was changed or cleared."
)
if not changes:
    st.write("No changes have been recorded yet.")
else:
    table(
        [
            {"when": f"{c.at.astimezone():%d %b %Y %H:%M:%S}", "who": c.who, "what": describe(c, bank)}
            for c in reversed(changes)
        ],
        {"when": "When", "who": "Who", "what": "What changed"},
        caption="Changes to this self-assessment, newest first",
    )
    st.caption("The JSON file on the Results page carries this history too.")
