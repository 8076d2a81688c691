"""How scores are calculated: the published method, the five levels and a worked example."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.components import table
from assessment.agreement import agreement_steps, worked_agreement
from assessment.method import worked_example
from assessment.scoring import method_steps

bank = state.bank()

st.title("How scores are calculated", anchor=False)
st.write(
    "Every area is scored by the same fixed method, so that boards and inspectors can compare areas and "
    "years. Nothing is adjusted by hand."
)

st.header("The five levels", divider="gray", anchor=False)
table(
    [{"Level": level.number, "Label": level.label, "What it means": level.meaning} for level in bank.levels],
    {"Level": "Level", "Label": "Label", "What it means": "What it means"},
)
st.write("Each statement also describes what its five levels look like in practice, on the survey page.")

st.header("The method", divider="gray", anchor=False)
st.markdown("\n".join(f"{number}. {step}" for number, step in enumerate(method_steps(state.bank()), start=1)))

st.header("A worked example", divider="gray", anchor=False)
example = worked_example(bank)
st.write(example.introduction)
table(example.rows, {key: key for key in example.rows[0]})
st.markdown("\n".join(f"- {line}" for line in example.steps))

st.header("Partner coverage: a worked example", divider="gray", anchor=False)
st.markdown("\n".join(f"- {line}" for line in example.partner_steps))

st.header("When several agencies answer: agreeing the position", divider="gray", anchor=False)
st.write(
    "A self-assessment filled in by one person is one agency's view. Each agency can answer on its own; the "
    "partnership's answer to each statement is then agreed from theirs by this rule."
)
st.markdown("\n".join(f"{number}. {step}" for number, step in enumerate(agreement_steps(), start=1)))
st.subheader("A worked example of agreeing a level", anchor=False)
st.markdown("\n".join(f"- {line}" for line in worked_agreement()))

st.caption(f"Question bank version {bank.version}.")
