"""Who is answering on the survey page (issue 10): the board together, or one person for their agency.

The survey page reads and saves answers through ``assessment.answer``, ``answer_statement`` and ``answer_partner``;
``choose`` gives it a view and two save functions with the same shape that read and save one respondent's
answers instead, so the page itself barely changes. Saves still go through the services and the page's
autosave (no ``on_change`` callbacks). Local mode: "I am answering for [agency]". Shared mode: the signed-in
person answers as themselves, for their agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from app_pages.components import plain
from assessment import services
from assessment.access import User
from assessment.agreement import agency_label, as_assessment
from assessment.model import AGENCY_OTHER, Assessment, AssessmentError
from assessment.scoring import Scorecard, score
from assessment.store import Store
from questions.models import QuestionBank

BOARD = "board"
KEY = "survey.answering_for"
OTHER_KEY = "survey.answering_other"
STARTED_KEY = "survey.answering_started"  # (assessment, agency, other name) -> the respondent this session answers as


class RespondentView:
    """The open assessment as the survey sees it when one respondent answers: their answers, live."""

    def __init__(self, assessment: Assessment, respondent_id: str) -> None:
        self.whole = assessment
        self.respondent_id = respondent_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self.whole, name)

    def answer(self, statement_id: str):
        return self.whole.respondent(self.respondent_id).answer(statement_id)

    def partner_answer(self, partner_id: str, indicator_id: str):
        return self.whole.respondent(self.respondent_id).partner_answer(partner_id, indicator_id)


@dataclass
class Answering:
    """What the survey page uses: the answers to show, how to save them, and whether they may be changed."""

    view: Any
    answer_statement: Callable[..., Any]
    answer_partner: Callable[..., Any]
    prefix: str
    respondent_id: str | None = None
    read_only: bool = False

    def scorecard(self, bank: QuestionBank, default: Callable[[], Scorecard]) -> Scorecard:
        """The respondent's own scorecard (for their progress), or the partnership's."""
        if not self.respondent_id:
            return default()
        whole = self.view.whole
        return score(bank, as_assessment(whole, whole.respondent(self.respondent_id)))


def _options(bank: QuestionBank, assessment: Assessment, actor: User) -> list[str]:
    own = services.own_respondent(assessment, actor)
    if own is not None:
        return [BOARD, own.id]
    return [BOARD, *(p.id for p in bank.partners.partners), AGENCY_OTHER]


def choose(store: Store, bank: QuestionBank, assessment: Assessment, actor: User, *, may_answer: bool) -> Answering:
    """Who is answering, from the choice this session made (drawn by ``draw`` below the page's title)."""
    board = Answering(
        view=assessment,
        answer_statement=services.answer_statement,
        answer_partner=services.answer_partner,
        prefix=assessment.id,
        # Once agencies answer separately, the partnership's answers are agreed, not typed in.
        read_only=bool(assessment.respondents),
    )
    options = _options(bank, assessment, actor)
    own = services.own_respondent(assessment, actor)
    wanted = st.session_state.get(KEY, own.id if own else BOARD)
    if wanted not in options or wanted == BOARD or not may_answer:
        return board
    if own is not None:
        respondent = own
    else:
        other = " ".join(str(st.session_state.get(OTHER_KEY, "")).split())
        if wanted == AGENCY_OTHER and not other:
            return Answering(board.view, board.answer_statement, board.answer_partner, board.prefix, read_only=True)
        started = st.session_state.setdefault(STARTED_KEY, {})
        key = (assessment.id, wanted, other.casefold())
        if key in started and all(r.id != started[key] for r in assessment.respondents):
            # Removed on 'Agree the position' while this page was open: never start them again unasked.
            del started[key]
            st.session_state[KEY] = BOARD
            agency = other or bank.partner(wanted).name
            st.session_state["survey.answering_error"] = (
                f"{agency}'s answers were removed on 'Agree the position'. To answer for {agency} again, choose "
                "it under 'Who is answering?'."
            )
            return board
        try:
            respondent = services.add_respondent(store, bank, assessment, agency=wanted, agency_name=other, actor=actor)
        except AssessmentError as error:
            st.session_state["survey.answering_error"] = str(error)
            return board
        started[key] = respondent.id
    view = RespondentView(assessment, respondent.id)
    rid = respondent.id

    def answer_statement(store_, _view, statement_id, **fields):
        return services.answer_as(store_, bank, assessment, rid, statement_id, **fields)

    def answer_partner(store_, _view, partner_id, indicator_id, value, **fields):
        return services.answer_partner_as(store_, bank, assessment, rid, partner_id, indicator_id, value, **fields)

    return Answering(view, answer_statement, answer_partner, f"{assessment.id}.{rid}", respondent_id=rid)


def _label(bank: QuestionBank, assessment: Assessment, actor: User) -> Callable[[str], str]:
    def label(option: str) -> str:
        if option == BOARD:
            return (
                "The board, together (one set of answers)"
                if not assessment.respondents
                else ("The partnership's answers (agreed from each agency's)")
            )
        if option == AGENCY_OTHER:
            return "I am answering for another agency"
        for respondent in assessment.respondents:
            if respondent.id == option:
                return f"Me ({respondent.user}), answering for {agency_label(bank, respondent)}"
        who = "I am" if actor.local else f"I ({actor.email}) am"
        return f"{who} answering for {bank.partner(option).name}"

    return label


def _about(store: Store, bank: QuestionBank, assessment: Assessment, actor: User, respondent) -> None:
    """The respondent's name and role, saved together with one button (the name is optional in local mode)."""
    rid = respondent.id
    name_key, role_key = f"survey.respondent_name.{rid}", f"survey.respondent_role.{rid}"

    def save() -> None:
        try:
            services.change_respondent(
                store,
                bank,
                assessment,
                rid,
                name=st.session_state.get(name_key, ""),
                role=st.session_state.get(role_key, ""),
                actor=actor,
            )
        except AssessmentError as error:
            st.session_state["survey.answering_error"] = str(error)

    with (
        st.expander("Your name and role"),
        st.form(key=f"survey.about.{rid}", border=False),
    ):
        st.text_input(
            "Your name (optional)" if actor.local else "Your name",
            value=respondent.name,
            key=name_key,
            max_chars=200,
            help="Shown beside your agency's answers on 'Agree the position' and in the report.",
        )
        st.text_input("Your role", value=respondent.role, key=role_key, max_chars=200)
        st.form_submit_button("Save your name and role", on_click=save)


def draw(store: Store, bank: QuestionBank, assessment: Assessment, actor: User, answering: Answering) -> None:
    """The 'Who is answering?' choice, at the top of the survey, and a line about whose answers are shown."""
    options = _options(bank, assessment, actor)
    own = services.own_respondent(assessment, actor)
    if st.session_state.get(KEY) not in options:
        st.session_state[KEY] = own.id if own else BOARD
    with st.container(border=True):
        st.selectbox(
            "Who is answering?",
            options=options,
            format_func=_label(bank, assessment, actor),
            key=KEY,
            help="Each agency can answer on its own; the partnership's answers are then agreed from theirs on the "
            "'Agree the position' page. Or the board answers together, as one set of answers.",
        )
        if st.session_state.get(KEY) == AGENCY_OTHER and own is None:
            st.text_input("Name of your agency", key=OTHER_KEY, max_chars=200)
        if problem := st.session_state.pop("survey.answering_error", None):
            st.error(plain(problem))
        if answering.respondent_id:
            respondent = assessment.respondent(answering.respondent_id)
            person = respondent.name + (f" ({respondent.role})" if respondent.role else "") if respondent.name else ""
            st.caption(
                f"You are giving {plain(agency_label(bank, respondent))}'s own answers"
                + (f", as {plain(person)}" if person else "")
                + ". They are kept apart from the other agencies' answers; the partnership's answers are agreed from "
                "everyone's."
            )
            _about(store, bank, assessment, actor, respondent)
        elif assessment.respondents:
            st.info(
                "These are the partnership's answers: each is agreed from the agencies' own answers, or proposed "
                "from them until it is agreed. To change them, use the 'Agree the position' page.",
                icon=":material/groups:",
            )
