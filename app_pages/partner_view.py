"""Partner coverage on the survey page: one partner at a time (the default), or the two tables.

One partner at a time asks each indicator as a row of four choices (Yes, Partly, No, Don't know), so each
answer is one click or one key press, on a laptop or a phone, and a screen reader reads ordinary radio buttons
whose names include the partner's. An answer not yet given shows no choice selected: there is no blank option.
"Next partner" moves on and puts the keyboard focus on the next partner's heading.

The two tables (Streamlit's data editor, drawn on a canvas) stay for those who like a grid.

Saving is not done here: the page's autosave (app_pages/autosave.py) compares each widget with the saved answer
on every run. This module only draws the widgets, calling ``autosave.drawing`` just before each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app_pages.autosave import Autosave, Field
from app_pages.browser import request_focus, saved_note
from app_pages.components import plain
from assessment.model import Assessment
from assessment.wording import NOT_ANSWERED
from questions.models import Partner, QuestionBank

PARTNER_CHOICE = "survey.partner_choice"
TABLES = "survey.partner_tables"
LEVELS = (
    ("strategic", "Strategic level", "Planning, decisions and funding: the IOM board and commissioning."),
    ("operational", "Operational level", "Day-to-day work with the people in the IOM cohort."),
)


@dataclass
class PartnerPage:
    """What the partner section needs from the survey page."""

    bank: QuestionBank
    assessment: Assessment
    autosave: Autosave
    question_field: Callable[[str, str], Field]  # (partner id, indicator id) -> the one-partner view's field
    cell_field: Callable[[str, str], Field]  # (partner id, indicator id) -> the table cell's field
    grid_key: Callable[[str], str]  # level -> the table's widget key
    read_only: bool
    not_saved: Callable[[str, str], None]  # (group, where): a failed save, with "Try again"

    @property
    def partners(self) -> list[Partner]:
        return list(self.bank.partners.partners)

    def given(self, partner_id: str) -> int:
        return sum(1 for i in self.bank.partners.indicators if self.assessment.partner_answer(partner_id, i.id))


def partner_group(partner_id: str) -> str:
    """What "Saved" and a failed save are shown against in the one-partner view."""
    return f"partners.{partner_id}"


def question_label(partner: Partner, text: str) -> str:
    """The question's visible label and accessible name: the partner's name, then the indicator."""
    return f"{partner.name}: {text[:1].lower()}{text[1:]}?"


def partner_heading(page: PartnerPage, partner: Partner) -> str:
    return f"Partner {page.partners.index(partner) + 1} of {len(page.partners)}: {partner.name}"


def draw(page: PartnerPage) -> None:
    bank = page.bank
    with st.expander("What each question means"):
        for indicator in bank.partners.indicators:
            st.markdown(
                f"- **{indicator.text}** ({indicator.level}): {indicator.help}  \n  *Source: {indicator.source.cite()}*"
            )
    tables = st.toggle(
        "Show all partners as two tables instead",
        key=TABLES,
        help="The same answers as two grids, one row per partner. The grids are harder to use with a keyboard, a "
        "screen reader or on a small screen than one partner at a time.",
    )
    if tables:
        st.write(bank.partners.intro)
        draw_tables(page)
    else:
        st.write(
            "IOM is as much a strategic partnership as an operational one. For each partner, say whether each sign "
            "of involvement is true in your area: Yes, Partly, No or Don't know, first at the strategic level, then "
            "in day-to-day work with the cohort. Each answer is saved as soon as you choose it; then choose "
            '"Next partner".'
        )
        draw_one_partner(page)


def _next_partner(partner_id: str, heading: str) -> None:
    st.session_state[PARTNER_CHOICE] = partner_id
    request_focus(heading)


def draw_one_partner(page: PartnerPage) -> None:
    bank, assessment, autosave = page.bank, page.assessment, page.autosave
    ids = [p.id for p in page.partners]
    indicators = len(bank.partners.indicators)

    def choice_label(pid: str) -> str:
        given = page.given(pid)
        done = "all answered" if given == indicators else f"{given} of {indicators} answered"
        return f"{bank.partner(pid).name} ({done})"

    if st.session_state.get(PARTNER_CHOICE) not in ids:
        # Start with the first partner not yet fully answered.
        st.session_state[PARTNER_CHOICE] = next((pid for pid in ids if page.given(pid) < indicators), ids[0])
    partner_id = st.selectbox("Partner", options=ids, format_func=choice_label, key=PARTNER_CHOICE)
    partner = bank.partner(partner_id)
    heading = partner_heading(page, partner)
    st.subheader(heading, anchor=False)
    st.caption(plain(partner.examples))
    answer_ids = [option.id for option in bank.partners.answers]
    labels = {option.id: option.label for option in bank.partners.answers}
    for level, level_heading, about in LEVELS:
        st.markdown(f"**{level_heading}** ({about[:1].lower()}{about[1:].rstrip('.')})")
        for indicator in (i for i in bank.partners.indicators if i.level == level):
            current = assessment.partner_answer(partner_id, indicator.id)
            question = page.question_field(partner_id, indicator.id)
            autosave.drawing(question)
            st.radio(
                question_label(partner, indicator.text),
                options=answer_ids,
                index=answer_ids.index(current) if current in answer_ids else None,
                format_func=labels.get,
                horizontal=True,
                key=question.widget,
                disabled=page.read_only,
            )
    group = partner_group(partner_id)
    page.not_saved(group, group)
    saved_at = autosave.saved_at(group)
    given = page.given(partner_id)
    if saved_at:
        saved_note(f"Saved at {saved_at:%H:%M:%S}: {given} of {indicators} answers for {partner.name} given.")
    position = ids.index(partner_id)
    if position < len(ids) - 1:
        following = bank.partner(ids[position + 1])
        st.button(
            f"Next partner: {following.name}",
            key="survey.next_partner",
            icon=":material/arrow_forward:",
            on_click=_next_partner,
            args=(following.id, partner_heading(page, following)),
        )
    else:
        st.caption("This is the last partner. Next, review your answers.")


def draw_tables(page: PartnerPage) -> None:
    bank, assessment, autosave = page.bank, page.assessment, page.autosave
    page.not_saved("partners", "partners")
    labels = {option.id: option.label for option in bank.partners.answers}
    options = [NOT_ANSWERED, *labels.values()]
    for level, heading, about in LEVELS:
        indicators = [i for i in bank.partners.indicators if i.level == level]
        st.subheader(heading, anchor=False)
        st.caption(about)
        frame = pd.DataFrame(
            [
                {
                    "Partner": partner.name,
                    **{i.id: labels.get(assessment.partner_answer(partner.id, i.id) or "") for i in indicators},
                }
                for partner in page.partners
            ]
        ).fillna(NOT_ANSWERED)  # said in words: the grid would otherwise show a grey "None"
        for partner in page.partners:
            for i in indicators:
                autosave.drawing(page.cell_field(partner.id, i.id))
        st.data_editor(
            frame,
            key=page.grid_key(level),
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            height=35 * (len(frame) + 1) + 3,  # every partner visible without scrolling
            disabled=True if page.read_only else ["Partner"],
            column_config={
                "Partner": st.column_config.TextColumn("Partner", pinned=True, width=290),
                **{
                    i.id: st.column_config.SelectboxColumn(
                        i.short, options=options, help=f"{i.text}. {i.help}", width=155
                    )
                    for i in indicators
                },
            },
        )
    st.caption(
        "Click a cell (or move to it with the arrow keys and press Enter) and choose Yes, Partly, No or "
        "Don't know. Each answer is saved as soon as you choose it. Hover over a column heading for what it means."
    )
