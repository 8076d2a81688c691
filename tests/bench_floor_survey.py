"""The floor for `make bench`'s click-to-updated row (tests/bench_answering.py): a Streamlit app with the same
elements as the survey page on principle 1, that saves a changed level straight to SQLite and shows "Saved".

No store, services, access checks, audit trail, scoring or check for other tabs: only what any Streamlit page that
saves a click must do. It is run with ``streamlit run`` with FLOOR_DB set to a SQLite file it creates.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import streamlit as st

from app_pages.browser import keep_focus, keep_typed_notes, live_region, saved_note
from questions.loader import get_bank

ROOT = Path(__file__).resolve().parents[1]
bank = get_bank()
principle = bank.principles[0]
CHOICES = ["0", "1", "2", "3", "4", "dont_know", "not_applicable"]
LABELS = {str(level.number): f"{level.number} {level.label}" for level in bank.levels} | {
    "dont_know": "Don't know",
    "not_applicable": "Not applicable",
}


@st.cache_resource
def database() -> sqlite3.Connection:
    connection = sqlite3.connect(os.environ["FLOOR_DB"], check_same_thread=False, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS answers (id TEXT PRIMARY KEY, choice TEXT)")
    return connection


def page() -> None:
    db = database()
    stored = dict(db.execute("SELECT id, choice FROM answers").fetchall())
    saved = st.session_state.setdefault("saved", {})
    for statement in principle.statements:  # save what differs from the database
        value = st.session_state.get(statement.id)
        if value is not None and value != stored.get(statement.id):
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (statement.id, value))
            stored[statement.id] = value
            saved[statement.id] = datetime.now()
    st.title("Self-assessment: Floorshire 2026", anchor=False)
    st.progress(len(stored) / 38, text=f"{len(stored)} of 38 statements answered")
    st.segmented_control("Section", options=["Principle 1", "Partner coverage"], default="Principle 1", key="section")
    with st.expander("What is still to answer"):
        st.markdown("\n".join(f"- {s.text}" for s in principle.statements if s.id not in stored))
    st.header(f"Principle {principle.number}: {principle.name}", divider="gray", anchor=False)
    st.write(principle.summary)
    st.caption(f"Source: {principle.source.cite()}.")
    show = st.toggle("Show what each level looks like", value=True, key="show_levels")
    for number, statement in enumerate(principle.statements, start=1):
        with st.container(border=True):
            heading = f"{principle.number}.{number} {statement.text}"
            st.markdown(f"**{heading}**")
            choice = stored.get(statement.id)
            st.radio(
                heading,
                label_visibility="collapsed",
                options=CHOICES,
                index=CHOICES.index(choice) if choice else None,
                format_func=LABELS.get,
                captions=[*statement.levels, "Not scored: counted as an evidence gap", "Not scored: give a reason"]
                if show
                else None,
                key=statement.id,
            )
            st.text_area(f"Evidence note for statement 1.{number} (optional)", key=f"{statement.id}.note", height=68)
            st.caption("Evidence that would show it: " + "; ".join(statement.evidence))
            if statement.id in saved:
                saved_note(f"Saved at {saved[statement.id]:%H:%M:%S}: {LABELS[stored[statement.id]]}.")
    back, _, forward = st.columns([1, 2, 1])
    back.button("Back", width="stretch")
    forward.button("Next: Principle 2", type="primary", width="stretch")
    live_region()
    keep_focus()
    keep_typed_notes()


def results() -> None:
    st.write("Results")


st.set_page_config(page_title="Floor", layout="wide")
navigation = st.navigation([st.Page(page, title="Answer the questions"), st.Page(results, title="Results")])
st.html(ROOT / "app_pages" / "house_style.css")
navigation.run()
