"""Agree the position: each agency's answers side by side, the proposed level, the flags, and the agreed answers.

For the coordinator and the board meeting (issue 10). The rule that proposes each level is published on
'How scores are calculated' (``assessment/agreement.py``).
"""

from __future__ import annotations

import streamlit as st

from app_pages import answering_for, partnership_results, state
from app_pages.components import plain, table
from assessment import services
from assessment.agreement import (
    NOT_YET_AGREED,
    StatementAgreement,
    most_different,
    respondent_label,
    statement_agreements,
)
from assessment.files.safety import UPLOAD_LIMIT_TEXT
from assessment.model import AssessmentError
from assessment.partnership import not_answered, partner_views, progress, self_ratings
from assessment.wording import NOT_ANSWERED, answer_words, choice_word

bank = state.bank()
store, actor = state.store(), state.actor()
assessment = state.require_assessment()
may_agree = state.may("manage")

CHOICES = ["0", "1", "2", "3", "4", "dont_know", "not_applicable"]
COUNTED = [*CHOICES, None]

st.title(f"Agree the position: {plain(assessment.title)}", anchor=False)
st.write(
    "Each agency answers the statements on its own. Here the partnership agrees its answer to each statement from "
    "theirs. The proposed level is the median of the agencies' levels (the lower of the two middle levels when "
    "there is an even number). A statement is flagged when levels differ by 2 or more, or when one agency says "
    "Don't know while another gives a level."
)
st.page_link(
    "app_pages/method.py",
    label="The rule, with a worked example",
    icon=":material/calculate:",
    query_params=state.link_params(),
)

RETURNS_KEY = "agreement.returns"


def add_uploads() -> None:
    """Add every uploaded template as its agency's own answers; each file is checked and added on its own."""
    key = f"{RETURNS_KEY}.{st.session_state.get(RETURNS_KEY + '.round', 0)}"
    files = [(f.name, f.getvalue()) for f in st.session_state.get(key) or []]
    st.session_state["agreement.outcomes"] = services.add_agency_returns(store, bank, assessment.id, files, actor=actor)
    st.session_state[RETURNS_KEY + ".round"] = st.session_state.get(RETURNS_KEY + ".round", 0) + 1  # empty the box


def upload_returns() -> None:
    """For the coordinator: several agencies' filled-in templates, uploaded at once."""
    if not may_agree:
        return
    with st.expander("Add agencies' filled-in templates", expanded=not assessment.respondents):
        st.write(
            "Each agency downloads the blank template from the Start page, chooses its agency under 'Who is "
            "answering' and fills it in. Upload all of them here: each is checked and added on its own, as that "
            "agency's answers. A corrected copy from the same agency replaces its earlier answers."
        )
        st.file_uploader(
            "Agencies' templates (Excel)",
            type=["xlsx", "json"],
            accept_multiple_files=True,
            key=f"{RETURNS_KEY}.{st.session_state.get(RETURNS_KEY + '.round', 0)}",
            help=f"{UPLOAD_LIMIT_TEXT} each. Every answer is checked before anything is saved.",
        )
        st.button("Add their answers", key="agreement.add_returns", type="primary", on_click=add_uploads)
        outcomes = st.session_state.get("agreement.outcomes") or []
        if outcomes:
            added = sum(1 for o in outcomes if o.status == "imported")
            refused = len(outcomes) - added
            summary = ", ".join(f"{n} {word}" for n, word in ((added, "added"), (refused, "refused")) if n) + "."
            (st.warning if refused else st.success)(summary)
            for outcome in outcomes:
                if outcome.status == "imported":
                    st.markdown(f":material/check_circle: {plain(outcome.filename)}: {plain(outcome.message)}")
                    for note in outcome.notes:
                        st.caption(f"{plain(outcome.filename)}: {plain(note)}")
                else:
                    st.error(f"{plain(outcome.filename)}: {plain(outcome.message)}", icon=":material/error:")


if not assessment.respondents:
    upload_returns()
    st.info(
        "No agency has answered on its own yet. On 'Answer the questions', under 'Who is answering?', each person "
        "chooses 'I am answering for' their agency; or each agency fills in the Excel template, naming its agency, "
        "and the coordinator uploads them all above, under 'Add agencies' filled-in templates'.",
        icon=":material/groups:",
    )
    st.page_link(
        "app_pages/survey.py",
        label="Answer the questions",
        icon=":material/edit_note:",
        query_params=state.link_params(),
    )
    st.stop()

if problem := st.session_state.pop("agreement.problem", None):
    st.error(plain(problem), icon=":material/error:")
if done := st.session_state.pop("agreement.done", None):
    st.success(plain(done), icon=":material/check:")

rows = state.per_revision("agreement_rows", lambda: statement_agreements(bank, assessment))
agreed_count = sum(1 for r in rows if r.agreed)
flagged = [r for r in rows if r.flagged]

st.header("Who has answered", divider="gray", anchor=False)
table(
    [
        {
            "who": p.label,
            "role": p.respondent.role,
            "statements": f"{p.statements} of {p.statements_total}",
            "partners": f"{p.partner_answers} of {p.partner_total}",
            "saved": f"{p.updated_at.astimezone():%d %b %Y %H:%M}" if p.started else "Not started",
        }
        for p in progress(bank, assessment)
    ],
    {
        "who": "Agency (person)",
        "role": "Role",
        "statements": "Statements answered",
        "partners": "Partner answers given",
        "saved": "Last saved",
    },
    caption="Each agency's respondent and how far they have got",
)
missing_agencies, missing_people = not_answered(
    bank, assessment, services.area_people(store, assessment, actor=actor) if not actor.local else ()
)
if missing_people:
    st.write(f"People of {plain(assessment.area)} who have not answered yet: {plain(', '.join(missing_people))}.")
if missing_agencies:
    st.write(f"Partners that have not answered yet: {plain(', '.join(missing_agencies))}.")
upload_returns()


def remove(respondent_id: str, label: str) -> None:
    st.session_state.pop("agreement.removing", None)
    try:
        services.remove_respondent(store, bank, assessment, respondent_id, actor=actor)
    except AssessmentError as error:
        st.session_state["agreement.problem"] = str(error)
    else:
        st.session_state["agreement.done"] = f"{label}: answers removed. The proposed levels are worked out again."
        if st.session_state.get(answering_for.KEY) not in (None, answering_for.BOARD):
            st.session_state[answering_for.KEY] = answering_for.BOARD  # not answering again for whoever was removed


if may_agree:
    with st.expander("Remove an agency's answers", expanded="agreement.removing" in st.session_state):
        labels = {r.id: respondent_label(bank, r) for r in assessment.respondents}
        st.write(
            "If someone answered for the wrong agency, or answered twice, remove their answers here. The proposed "
            "levels are then worked out again from the others' answers; what the board has agreed stays agreed."
        )
        chosen_id = st.selectbox(
            "Whose answers to remove",
            options=list(labels),
            format_func=labels.get,
            index=None,
            placeholder="Choose an agency",
            key="agreement.remove_choice",
        )
        if st.button("Remove these answers", key="agreement.remove", disabled=chosen_id is None):
            st.session_state["agreement.removing"] = chosen_id
        pending_id = st.session_state.get("agreement.removing")
        if pending_id in labels:
            person = assessment.respondent(pending_id)
            answered = sum(1 for a in person.answers.values() if not a.is_empty)
            left = [r for r in assessment.respondents if r.id != pending_id]
            after = (
                "No answers will be left."
                if not left
                else "The board will answer together again, with the answers it gave together."
                if len(left) == 1 and left[0].is_board_together
                else ""
            )
            st.warning(
                f"Remove {plain(labels[pending_id])}'s answers: {answered} statements and "
                f"{sum(len(row) for row in person.partner_answers.values())} partner answers? This cannot be undone. "
                + after,
                icon=":material/warning:",
            )
            yes, no = st.columns(2)
            yes.button(
                "Yes, remove them",
                key="agreement.remove_confirm",
                type="primary",
                on_click=remove,
                args=(pending_id, labels[pending_id]),
            )
            no.button(
                "No, keep them",
                key="agreement.remove_cancel",
                on_click=st.session_state.pop,
                args=("agreement.removing", None),
            )

overall, flags, agreed = st.columns(3)
overall.metric("Statements", len(rows))
flags.metric("Flagged for discussion", len(flagged))
agreed.metric("Agreed", f"{agreed_count} of {len(rows)}")

st.header("Where partners see it most differently", divider="gray", anchor=False)
agenda = most_different(rows, count=10)
if not agenda:
    st.write("No statement is flagged: the agencies' levels are within one of each other everywhere.")
else:
    st.write("The agenda for the board meeting: the flagged statements with the widest spread of levels first.")
    st.markdown(
        "\n".join(
            f"- **{r.number}** {plain(r.statement.text)} ({'; '.join(r.flags)})"
            + (f": agreed {choice_word(bank, r.agreed.choice)}" if r.agreed else f": {NOT_YET_AGREED}")
            for r in agenda
        )
    )

st.header("Each statement", divider="gray", anchor=False)
show = st.segmented_control(
    "Show",
    options=["flagged", "not_agreed", "all"],
    format_func={
        "flagged": f"Flagged ({len(flagged)})",
        "not_agreed": f"Not yet agreed ({len(rows) - agreed_count})",
        "all": "All statements",
    }.get,
    default="flagged" if flagged else "all",
    required=True,
    key="agreement.show",
)
principle_number = st.selectbox(
    "Principle",
    options=[p.number for p in bank.principles],
    format_func=lambda n: f"Principle {n}: {bank.principles[n - 1].name}",
    key="agreement.principle",
)
shown = [
    r
    for r in rows
    if r.number.split(".")[0] == str(principle_number)
    and (show == "all" or (show == "flagged" and r.flagged) or (show == "not_agreed" and not r.agreed))
]
if not shown:
    st.write("No statement of this principle to show here. Choose another principle, or show all statements.")


def agree(row: StatementAgreement, choice: str | None, reason: str = "") -> None:
    try:
        services.agree(store, bank, assessment, row.statement.id, choice=choice, reason=reason, actor=actor)
    except AssessmentError as error:
        st.session_state["agreement.problem"] = f"Statement {row.number}: {error}"
    else:
        st.session_state["agreement.done"] = (
            f"Statement {row.number}: agreed {choice_word(bank, choice)}."
            if choice
            else f"Statement {row.number}: back to its proposed level."
        )


def dots(count: int) -> str:
    return "●" * count if count else ""


for row in shown:
    with st.container(border=True, key=f"agreement.card.{row.statement.id}"):
        st.markdown(f"**{row.number} {plain(row.statement.text)}**")
        counts = [
            {
                "answer": choice_word(bank, c) if c else NOT_ANSWERED,
                "dots": dots(row.count(c)),
                "count": row.count(c),
            }
            for c in COUNTED
            if row.count(c) or c in ("0", "1", "2", "3", "4")
        ]
        table(counts, {"answer": "Answer", "dots": "Agencies", "count": "Count"})
        table(
            [
                {
                    "who": respondent_label(bank, r),
                    "answer": choice_word(bank, a.choice) if a.choice else NOT_ANSWERED,
                    "note": a.evidence + (f" (Not applicable because: {a.na_reason})" if a.na_reason else ""),
                }
                for r, a in row.answers
            ],
            {"who": "Agency", "answer": "Answer", "note": "Evidence note"},
        )
        proposed = choice_word(bank, row.proposed) if row.proposed else "none yet (nobody has answered)"
        if row.flagged:
            st.warning(f"Flagged for discussion: {'; '.join(row.flags)}.", icon=":material/flag:")
        if row.agreed:
            how = "the proposal accepted" if row.agreed.choice == row.agreed.proposed else "set by the board"
            who = f" by {plain(row.agreed.by)}" if row.agreed.by else ""
            st.success(
                f"Agreed: {choice_word(bank, row.agreed.choice)} ({how}){who}, "
                f"{row.agreed.at.astimezone():%d %b %Y %H:%M}. Proposed level now: {proposed}."
                + (f"  \nReason: {plain(row.agreed.reason)}" if row.agreed.reason else ""),
                icon=":material/handshake:",
            )
        else:
            st.markdown(f"Proposed level: **{proposed}**. This statement is *{NOT_YET_AGREED}*.")
        if not may_agree:
            continue
        accept, withdraw = st.columns(2)
        if row.proposed and not (row.agreed and row.agreed.choice == row.proposed):
            accept.button(
                f"Accept the proposal: {proposed}",
                key=f"agreement.accept.{row.statement.id}",
                on_click=agree,
                args=(row, row.proposed),
                type="primary",
            )
        if row.agreed:
            withdraw.button(
                "Withdraw the agreed answer",
                key=f"agreement.withdraw.{row.statement.id}",
                on_click=agree,
                args=(row, None),
            )
        with st.form(key=f"agreement.form.{row.statement.id}", border=False, clear_on_submit=True):
            words = dict(zip(CHOICES, answer_words(bank), strict=True))
            chosen = st.selectbox(
                f"Agree another answer to statement {row.number}",
                options=CHOICES,
                index=None,
                format_func=words.get,
                placeholder="Choose the agreed answer",
                key=f"agreement.choice.{row.statement.id}",
            )
            reason = st.text_area(
                "Reason (kept with the agreed answer)",
                key=f"agreement.reason.{row.statement.id}",
                max_chars=2000,
                height=68,
            )
            if st.form_submit_button("Agree this answer"):
                if chosen is None:
                    st.session_state["agreement.problem"] = f"Statement {row.number}: choose the agreed answer first."
                else:
                    agree(row, chosen, reason)
                st.rerun()

with st.expander(
    "Each agency's answers about every partner", expanded=any(r.higher for r in self_ratings(bank, assessment))
):
    partnership_results.self_rating_table(bank, assessment)
    views = partner_views(bank, assessment)
    table(views, {key: key for key in views[0]}, caption="Each agency's partner coverage answers")
