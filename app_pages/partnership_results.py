"""On the Results page (issue 10): the partnership's view beside each agreed score, and the inspector's moderation.

Kept here, not in results.py, so the Results page gains one call. Shows: statements not yet agreed, the range of
the respondents' own principle scores beside each agreed score, where partners see it most differently, where an
agency rates its own involvement higher than the others rate it; and the self-assessed score beside the inspected
level with the difference, read-only for the board, with a form for an inspector.
"""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.components import plain, table
from assessment import services, tables
from assessment.agreement import NOT_YET_AGREED, most_different, not_yet_agreed, statement_agreements
from assessment.database import is_shared_mode
from assessment.model import Assessment, AssessmentError
from assessment.partnership import difference_text, moderated_principles, principle_ranges, self_ratings
from assessment.scoring import Scorecard, percent_text
from assessment.wording import choice_word
from questions.models import QuestionBank


def show(bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> None:
    if assessment.respondents:
        _partnership(bank, assessment, scorecard)
    if assessment.moderation or state.may("moderate"):
        _moderation(bank, assessment, scorecard)


def _partnership(bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> None:
    st.subheader("Each agency's view beside the agreed scores", anchor=False)
    pending = not_yet_agreed(bank, assessment)
    if pending:
        st.warning(
            f"{len(pending)} of {len(bank.statements())} statements are {NOT_YET_AGREED}: the scores use their "
            "proposed levels (the median of the agencies' levels) until the partnership agrees them.",
            icon=":material/pending:",
        )
    st.page_link(
        "app_pages/agreement.py",
        label="Agree the position",
        icon=":material/handshake:",
        query_params=state.link_params(),
    )
    ranges = principle_ranges(bank, assessment)
    table(
        [
            {
                "principle": f"{p.principle.number}. {p.principle.name}",
                "score": tables.score_text(p.score),
                "range": ranges[p.principle.number].text(),
                "pending": sum(1 for s in p.principle.statements if s.id in pending) or "None",
            }
            for p in scorecard.principles
        ],
        {
            "principle": "Principle",
            "score": "Score (agreed or proposed)",
            "range": "Agencies' own scores",
            "pending": f"Statements {NOT_YET_AGREED}",
        },
        caption="Each principle's agreed score beside the range of the agencies' own scores",
    )
    agenda = most_different(statement_agreements(bank, assessment))
    st.markdown("**Where partners see it most differently**")
    if not agenda:
        st.write("Nowhere: every statement's levels are within one of each other.")
    else:
        st.markdown(
            "\n".join(
                f"- {r.number} {plain(r.statement.text)} ({'; '.join(r.flags)}): "
                + (f"agreed {choice_word(bank, r.agreed.choice)}" if r.agreed else NOT_YET_AGREED)
                for r in agenda
            )
        )
    self_rating_table(bank, assessment)


def self_rating_table(bank: QuestionBank, assessment: Assessment) -> None:
    """Each agency's rating of its own involvement beside the others' ratings, flagged where it is higher."""
    ratings = self_ratings(bank, assessment)
    if ratings:
        st.markdown("**How each agency rates its own involvement**")
        table(
            [
                {
                    "agency": r.agency,
                    "level": r.level.capitalize(),
                    "own": percent_text(r.own),
                    "others": f"{percent_text(r.others)} (mean of {r.others_count})",
                    "flag": "Rates itself higher than the others do" if r.higher else "",
                }
                for r in ratings
            ],
            {"agency": "Agency", "level": "Level", "own": "Its own rating", "others": "Others' rating", "flag": "Flag"},
            caption="Partner coverage: each agency's rating of its own involvement beside the other agencies' ratings",
        )


def _moderation(bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> None:
    st.subheader("Self-assessed and inspected", anchor=False)
    rows = moderated_principles(bank, assessment, scorecard)
    if not assessment.moderation:
        st.write("No inspected level has been recorded yet.")
    else:
        table(
            [
                {
                    "principle": f"{r.number}. {r.name}",
                    "self": tables.score_text(r.self_assessed),
                    "inspected": f"{r.moderation.level} {bank.level_label(r.moderation.level)}" if r.moderation else "",
                    "difference": difference_text(r.difference),
                    "reason": r.moderation.reason if r.moderation else "",
                }
                for r in rows
            ],
            {
                "principle": "Principle",
                "self": "Self-assessed",
                "inspected": "Inspected",
                "difference": "Difference",
                "reason": "Inspector's reason",
            },
            caption="Each principle's self-assessed score beside the inspector's level",
        )
        by_statement = [m for m in assessment.moderation if m.statement_id]
        if by_statement:
            numbers = {s.id: f"{p.number}.{n}" for p in bank.principles for n, s in enumerate(p.statements, start=1)}
            table(
                [
                    {
                        "statement": numbers.get(m.statement_id, m.statement_id),
                        "self": choice_word(bank, assessment.answer(m.statement_id).choice) or "Not answered",
                        "inspected": f"{m.level} {bank.level_label(m.level)}",
                        "reason": m.reason,
                    }
                    for m in by_statement
                ],
                {"statement": "Statement", "self": "Self-assessed", "inspected": "Inspected", "reason": "Reason"},
                caption="Statements the inspector moderated",
            )
        if not state.may("moderate"):
            st.caption("Recorded by the inspector. The board can read these levels but not change them.")
    if state.may("moderate"):
        if is_shared_mode():  # only an inspector signed in has the right: the form is theirs
            _moderation_form(bank, assessment)
        else:  # on one computer anyone may record it, so the board's page keeps it folded away
            with st.expander("For an inspector: record an inspected level", expanded=problem_waiting()):
                _moderation_form(bank, assessment)


def problem_waiting() -> bool:
    return "moderation.problem" in st.session_state


def _moderation_form(bank: QuestionBank, assessment: Assessment) -> None:
    if problem := st.session_state.pop("moderation.problem", None):
        st.error(plain(problem), icon=":material/error:")
    with st.form("moderation.form", clear_on_submit=True):
        st.markdown("**Record an inspected level** (it never changes the board's answers)")
        principle = st.selectbox(
            "Principle",
            options=[p.number for p in bank.principles],
            format_func=lambda n: f"{n}. {bank.principles[n - 1].name}",
            key="moderation.principle",
        )
        statements = {"": "The principle as a whole"} | {
            s.id: f"{p.number}.{n} {s.text}" for p in bank.principles for n, s in enumerate(p.statements, start=1)
        }
        statement = st.selectbox(
            "Statement (optional; it must belong to the principle chosen)",
            options=list(statements),
            format_func=statements.get,
            key="moderation.statement",
        )
        level = st.selectbox(
            "Inspected level",
            options=[0, 1, 2, 3, 4, None],
            format_func=lambda n: "Remove the inspected level" if n is None else f"{n} {bank.level_label(n)}",
            key="moderation.level",
        )
        reason = st.text_area("Reason", key="moderation.reason", max_chars=2000, height=68)
        if st.form_submit_button("Save the inspected level"):
            try:
                if statement and bank.principle_of(statement).number != principle:
                    raise AssessmentError("That statement belongs to another principle: choose its principle.")
                services.moderate(
                    state.store(),
                    assessment,
                    principle=principle,
                    statement_id=statement or None,
                    level=level,
                    reason=reason,
                    actor=state.actor(),
                )
            except AssessmentError as error:
                st.session_state["moderation.problem"] = str(error)
            st.rerun()
