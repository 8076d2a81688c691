"""Results page: the overall score, the six principles, strengths, gaps and partner coverage."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import streamlit as st

from app_pages import partnership_results, state
from app_pages.components import plain, principle_chart, table
from assessment import tables
from assessment.files.excel.layout import file_name
from assessment.files.excel.report import build_report
from assessment.files.json import export_json
from assessment.services import history
from benchmarks.loader import get_library

bank = state.bank()
assessment = state.require_assessment()
store, actor = state.store(), state.actor()  # for the JSON download, which carries the history of changes
scorecard = state.scorecard()

st.title(f"Results: {plain(assessment.title)}", anchor=False)
if assessment.is_example:
    st.info("This is a fictional example area, filled in to show what the results look like.")
# Built only when clicked (a callable), from what is saved then, so no rerun of the page pays for it and the
# file holds every saved answer, including another tab's.
report_col, json_col = st.columns(2)
report_col.download_button(
    "Download the report (Excel)",
    data=state.from_saved(functools.partial(build_report, bank)),
    file_name=file_name(assessment.area, assessment.year, "report", ".xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="results.report",
    icon=":material/download:",
    on_click="ignore",
    help="Summary, principles with a chart, partners, the action plan, every response, and the method. "
    "The app can load the report again from the Start page.",
)
json_col.download_button(
    "Download the answers (JSON)",
    data=state.from_saved(lambda saved: export_json(saved, history(store, saved, actor=actor))),
    file_name=file_name(assessment.area, assessment.year, "answers", ".json"),
    mime="application/json",
    key="results.json",
    icon=":material/data_object:",
    on_click="ignore",
    help="Every answer and plan record, in an open format any program can read.",
)

st.page_link(
    "app_pages/board_summary.py",
    label="Board summary, ready to print for the board",
    icon=":material/print:",
    query_params=state.link_params(),
)

answered = scorecard.answered_count()
total = len(scorecard.statement_results())
overall_help = "The mean of the six principle scores. Shown only when all six principles have a score."
if scorecard.overall is None:
    # One headline in words, not the same two words twice side by side.
    overall, gaps = st.columns([2, 1], gap="large")
    overall.metric("Overall score and band", tables.score_text(scorecard.overall), help=overall_help)
else:
    overall, counted, gaps = st.columns(3, gap="large")
    overall.metric("Overall score (0 to 4)", tables.score_text(scorecard.overall), help=overall_help)
    counted.metric("Overall band", tables.band_text(bank, scorecard.overall_band))
gaps.metric("Statements answered", f"{answered} of {total}")
if scorecard.overall is None:
    st.warning(
        "There is not yet enough evidence for an overall score: every principle needs at least half of its "
        "applicable statements answered with a level."
    )

st.header("The six principles", divider="gray", anchor=False)
rows = tables.principle_rows(bank, scorecard)
chart_rows = [{**row, "Target level": p.target} for row, p in zip(rows, scorecard.principles, strict=True)]


if all(p.score is None for p in scorecard.principles):
    st.info(
        "No principle has enough answers for a score yet, so there is no chart. Answer at least half of the "
        "statements under a principle to see its score."
    )
else:
    described = "; ".join(
        f"{row['Principle']}: {row['Score shown']} {row['Band']}, target {row['Target']}" for row in rows
    )
    st.vega_lite_chart(
        state.per_revision(
            "principle_chart", lambda: principle_chart(chart_rows, [level.label for level in bank.levels])
        ),
        width="stretch",
        alt=f"Bar chart of the six principle scores, from 0 to 4, each with its target. {described}. The same figures are in the table below.",
    )
table(
    rows,
    {
        "Principle": "Principle",
        "Score shown": "Score",
        "Band": "Band",
        "Target": "Target",
        "Statements scored": "Statements scored",
    },
)

partnership_results.show(bank, assessment, scorecard)  # issue 10: agencies' views, inspected levels

st.subheader("Why each principle scored as it did", anchor=False)
for principle_score in scorecard.principles:
    principle = principle_score.principle
    shown = tables.score_text(principle_score.score)
    if principle_score.score is not None:  # "Insufficient evidence" is said once, not twice
        shown += f" ({tables.band_text(bank, principle_score.band)})"
    with st.expander(f"{principle.number}. {principle.name}: {shown}"):
        st.write(principle_score.explanation(bank))
        st.markdown(
            "\n".join(
                f"- {row['Statement']} **{row['Answer']}**"
                + (f" (weight {row['Weight']:g})" if row["Weight"] != 1 else "")
                + (f"  \n  *Evidence: {plain(row['Evidence note'])}*" if row["Evidence note"] else "")
                for row in tables.statement_rows(bank, assessment, list(principle_score.results))
            )
        )

strong, weak = st.columns(2, gap="large")
for column, heading, results in (
    (strong, "Strongest statements", scorecard.strongest()),
    (weak, "Weakest statements", scorecard.weakest()),
):
    with column:
        st.subheader(heading, anchor=False)
        if not results:
            st.write("None yet: no statement has a level.")
        for result in results:
            st.markdown(f"- **{result.level} {bank.level_label(result.level)}**: {result.statement.text}")

st.subheader("Evidence gaps", anchor=False)
evidence_gaps = scorecard.evidence_gaps()
if not evidence_gaps:
    st.write("None: every statement has an answer.")
else:
    st.write(
        f"{len(evidence_gaps)} statements are answered 'Don't know', are not answered yet, or are marked "
        "'Not applicable' without a reason. Each 'Don't know' has an action in the plan to find out where you "
        "stand (where a principle has too few answers for a score, the plan's action to gather its evidence covers "
        "them). Statements not yet answered, or 'Not applicable' without a reason, need finishing in the survey."
    )
    table(
        tables.statement_rows(bank, assessment, evidence_gaps),
        {"Principle": "Principle", "Statement": "Statement", "Answer": "Answer"},
    )

st.header("Partner coverage", divider="gray", anchor=False)
st.write(
    "How involved each partner is at strategic and operational level, beside the share of IOM areas that "
    "reported involving that partner in the Home Office's national survey of IOM (2013). A partner counts as "
    "involved at a level when its coverage there is 50% or more."
)
table(
    tables.partner_rows(scorecard),
    {
        "Partner": "Partner",
        "Strategic level": "Strategic level",
        "Operational level": "Operational level",
        "Involved": "Involved",
        "National figure shown": "National survey (2013)",
        "About the national figure": "About the national figure",
    },
)
st.caption(
    f"Source of the national figures: {get_library().survey.source.cite()}. "
    "Where the sources give no national figure, the table says so."
)

st.header("Gaps and their actions", divider="gray", anchor=False)
plan = state.plan()


def gap_link(gap) -> None:
    count = len(plan.for_gap(gap.key))
    st.page_link(
        "app_pages/action_plan.py",
        label=f"{gap.description} ({count} suggested action{'s' if count != 1 else ''})",
        icon=":material/arrow_forward:",
        query_params={**state.link_params(), "gap": gap.key},
    )


def other_gaps_markdown(plan) -> str:
    """The gaps after the first five as one list of links (one element, however many gaps there are)."""
    params = state.link_params()
    return "\n".join(
        f"- [{gap.description}](action-plan?{urlencode({**params, 'gap': gap.key})}) "
        f"({len(plan.for_gap(gap.key))} suggested actions)"
        for gap in plan.gaps[5:]
    )


if not plan.gaps:
    st.write("No gaps against your targets. You can still add your own actions to the action plan.")
else:
    st.write(
        f"{len(plan.gaps)} gaps against your targets, the most important first. Each link opens the action plan "
        "at the actions for that gap."
    )
    for gap in plan.gaps[:5]:
        gap_link(gap)
    if len(plan.gaps) > 5:
        with st.expander(f"The other {len(plan.gaps) - 5} gaps"):
            # One list, not a widget per gap: the page stays quick to redraw however many gaps there are.
            st.markdown(state.per_revision("other_gaps", lambda: other_gaps_markdown(plan)))
st.page_link(
    "app_pages/action_plan.py",
    label="Open the whole action plan",
    icon=":material/checklist:",
    query_params=state.link_params(),
)

state.follow_saves()  # tab B's answers show here without a reload
