"""Board summary: the two pages a board tables, on screen and ready to print (the report's first sheet, in the app)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages import state
from app_pages.components import plain, principle_chart, table
from assessment import tables
from assessment.summary import board_summary

bank = state.bank()
assessment = state.require_assessment()
scorecard = state.scorecard()
summary = board_summary(bank, assessment, scorecard, state.plan(), today=date.today())

st.title(f"Board summary: {plain(assessment.title)}", anchor=False)
with st.container(key="no-print-help"):  # the print stylesheet leaves this out of the paper
    st.info(
        "To print this summary, use your browser's Print command (Ctrl+P, or Cmd+P on a Mac). The menu and this "
        "note are left off the paper. The Excel report's first sheet is the same summary.",
        icon=":material/print:",
    )

# The facts and the principles table beside the chart (one under the other on a phone), so that all three print on
# page 1.
facts, chart = st.columns(2, gap="large")
with facts:
    table([{"Fact": label, "Value": value} for label, value in summary.facts()], {"Fact": "Fact", "Value": "Value"})
    st.header("The six principles: scores against targets", divider="gray", anchor=False)
    table(
        [
            {
                "Principle": f"{line.number}. {line.name}",
                "Score": line.score_text,
                "Band": line.band,
                "Target": str(line.target),
                "Against the target": line.against_target,
            }
            for line in summary.principles
        ],
        {key: key for key in ("Principle", "Score", "Band", "Target", "Against the target")},
    )

rows = tables.principle_rows(bank, scorecard)
if any(line.score is not None for line in summary.principles):
    chart_rows = [{**row, "Target level": line.target} for row, line in zip(rows, summary.principles, strict=True)]
    described = "; ".join(
        f"{line.number}. {line.name}: {line.score_text}, target {line.target}" for line in summary.principles
    )
    chart.vega_lite_chart(
        principle_chart(chart_rows, [level.label for level in bank.levels]),
        width="stretch",
        alt=f"Bar chart of the six principle scores against their targets, from 0 to 4. {described}.",
    )

page_two = st.container(key="print-page-two")  # the print stylesheet starts a new page here
page_two.header("Partner involvement", divider="gray", anchor=False)
with page_two:
    table(
        [vars(line) for line in summary.partners],
        {
            "partner": "Partner",
            "strategic": "Strategic level",
            "operational": "Operational level",
            "involved": "Involved",
        },
    )
st.caption("Involved at a level: coverage of 50% or more (Yes 1, Partly 0.5, No 0).")

st.header("The five actions that matter most", divider="gray", anchor=False)
if summary.actions:
    table(
        [
            {"Action": f"{line.rank}. {line.title}", "Lead": line.lead, "Owner": line.owner, "Due": line.due,
             "Status": line.status}
            for line in summary.actions
        ],
        {key: key for key in ("Action", "Lead", "Owner", "Due", "Status")},
    )  # fmt: skip
else:
    st.write("No gaps against the targets, so no suggested actions.")
st.caption(
    f"{summary.gaps_in_plan} gaps against the targets in all. The action plan has every action, ranked, with the "
    "practice example behind it."
)
