"""The survey's last section, "Review my answers": every answer on one line, before the results.

A compact table for each principle (one row per statement: its number and text, the level chosen, the evidence
note) and one line per partner (each indicator's answer), with a link back to each section to change its answers.
The board's own words (notes, reasons) are shown exactly as written, never read as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.components import plain, table
from assessment.model import Assessment
from assessment.scoring import Scorecard
from assessment.wording import choice_word
from questions.models import QuestionBank

NOT_GIVEN = "not answered"
COLUMNS = {"statement": "Statement", "level": "Level", "note": "Evidence note"}


def one_line(text: str) -> str:
    return " ".join(text.split())


def statement_rows(bank: QuestionBank, assessment: Assessment, principle_index: int) -> list[dict]:
    """One row per statement: its number and text, the level chosen and the evidence note (as written)."""
    principle = bank.principles[principle_index]
    rows = []
    for number, statement in enumerate(principle.statements, start=1):
        answer = assessment.answer(statement.id)
        level = choice_word(bank, answer.choice) if answer.choice else NOT_GIVEN
        if answer.choice == "not_applicable":
            level += f": {one_line(answer.na_reason)}" if answer.na_reason else " (no reason given yet)"
        rows.append(
            {
                "statement": f"{principle.number}.{number} {statement.text}",
                "level": level,
                "note": one_line(answer.evidence) or "No note",
            }
        )
    return rows


def partner_lines(bank: QuestionBank, assessment: Assessment) -> list[str]:
    words = {option.id: option.label for option in bank.partners.answers}
    lines = []
    for partner in bank.partners.partners:
        answers = [
            f"{indicator.short}: **{words.get(assessment.partner_answer(partner.id, indicator.id) or '', NOT_GIVEN)}**"
            for indicator in bank.partners.indicators
        ]
        lines.append(f"- {plain(partner.name)}: " + "; ".join(answers))
    return lines


def draw(bank: QuestionBank, assessment: Assessment, scorecard: Scorecard, go_to: Callable[[str], None]) -> None:
    unanswered = sum(1 for r in scorecard.statement_results() if r.status in ("unanswered", "needs_reason"))
    partner_gaps = sum(
        1 for p in bank.partners.partners for i in bank.partners.indicators if not assessment.partner_answer(p.id, i.id)
    )
    st.write(
        "Every answer you have given, one row each. Every answer is already saved: to change one, follow the link "
        "to its section."
        + (
            f" Not answered yet: {unanswered} statements and {partner_gaps} partner answers."
            if unanswered or partner_gaps
            else ""
        )
    )
    for index, principle in enumerate(bank.principles):
        st.subheader(f"Principle {principle.number}: {principle.name}", anchor=False)
        table(
            statement_rows(bank, assessment, index),
            COLUMNS,
            caption=f"Your answers to principle {principle.number}: statement, level and evidence note",
        )
        st.button(
            f"Change your answers to principle {principle.number}",
            key=f"survey.review.{principle.id}",
            type="tertiary",
            icon=":material/edit:",
            on_click=go_to,
            args=(principle.id,),
        )
    st.subheader("Partner coverage", anchor=False)
    st.markdown("\n".join(partner_lines(bank, assessment)))
    st.button(
        "Change your partner answers",
        key="survey.review.partners",
        type="tertiary",
        icon=":material/edit:",
        on_click=go_to,
        args=("partners",),
    )
