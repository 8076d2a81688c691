"""Accessibility statement: how accessible the service is, what is not yet, and how to report a problem.

The statement's words live in ACCESSIBILITY.md at the top of the repository, so the page, the README and the
tests that check the known issues against axe-core all read one text.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

STATEMENT = Path(__file__).resolve().parents[1] / "ACCESSIBILITY.md"
HEADINGS = {"#": st.title, "##": st.header, "###": st.subheader}

# Headings are drawn one by one without Streamlit's "link to heading" anchors, which would add a Tab stop each.
for part in re.split(r"^(#{1,3} .*)$", STATEMENT.read_text(encoding="utf-8"), flags=re.MULTILINE):
    if match := re.fullmatch(r"(#{1,3}) (.*)", part.strip()):
        HEADINGS[match[1]](match[2], anchor=False)
    elif part.strip():
        st.markdown(part.strip())
