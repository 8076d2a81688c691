"""Small pieces of screen that several pages show the same way."""

from __future__ import annotations

import streamlit as st

from assessment.privacy import find_personal_data


def personal_data_warnings(text: str) -> None:
    """A visible warning for each kind of personal detail a note seems to hold."""
    for warning in find_personal_data(text):
        st.warning(warning.message(), icon=":material/privacy_tip:")
