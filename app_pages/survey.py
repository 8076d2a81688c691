"""Survey page: answer the statements of one section at a time, saved on every change."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app_pages import answering_for, partner_view, review, state
from app_pages.autosave import MISSING, Autosave, Field
from app_pages.browser import (
    card_ran,
    focus_heading,
    keep_focus,
    keep_typed_notes,
    live_region,
    request_focus,
    run_whole_page_if_a_card_change_is_dropped,
    saved_note,
)
from app_pages.components import personal_data_warnings, plain
from assessment import services
from assessment.model import Choice, StatementAnswer
from assessment.store import StorageError
from assessment.wording import choice_word
from questions.models import Principle, Statement

bank = state.bank()
store = state.store()
assessment = WHOLE = state.require_assessment()
prefix = assessment.id
actor = state.actor()
read_only = not state.may("answer")  # an inspector reads the answers; no widget changes them
# Who is answering (issue 10): the board together, or one person for their agency, whose own answers are then
# shown and saved here (app_pages/answering_for.py).
answering = answering_for.choose(store, bank, assessment, actor, may_answer=not read_only)
assessment, answer_statement, answer_partner = answering.view, answering.answer_statement, answering.answer_partner
prefix, read_only = answering.prefix, read_only or answering.read_only

CHOICES: list[Choice] = ["0", "1", "2", "3", "4", "dont_know", "not_applicable"]
SECTIONS = [p.id for p in bank.principles] + ["partners", "review"]
SECTION_LABELS = {p.id: f"Principle {p.number}" for p in bank.principles} | {
    "partners": "Partner coverage",
    "review": "Review my answers",
}
SECTION_HEADINGS = {p.id: f"Principle {p.number}: {p.name}" for p in bank.principles} | {
    "partners": "Partner coverage",
    "review": "Review your answers",
}
PARTNER_IDS = {option.label: option.id for option in bank.partners.answers}


def go_to(target: str) -> None:
    """Back, Next and the review's links: show the section, with the focus and the scroll on its heading."""
    st.session_state["section"] = target
    request_focus(SECTION_HEADINGS[target])


def choice_label(choice: Choice) -> str:
    return choice_word(bank, choice)


# ---- saving: after each run's widgets are read, what differs from the saved answers is saved (app_pages/autosave)


def text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


_GRIDS: dict[str, tuple[str, object]] = {}  # level -> (the grid's key, its edits), read once per run


def _grid(level: str) -> tuple[str, object]:
    if level not in _GRIDS:
        key = f"{prefix}.partners.{level}.{st.session_state.get(f'survey.grid.{level}', 0)}"
        _GRIDS[level] = (key, st.session_state.get(key, MISSING))
    return _GRIDS[level]


def grid_key(level: str) -> str:
    """The grid's key changes when another tab changes a cell this tab had edited, so the grid is drawn afresh."""
    return _grid(level)[0]


def grid_cell(level: str, row: int, indicator_id: str) -> object:
    edits = _grid(level)[1]
    if edits is MISSING:
        return MISSING
    rows = edits.get("edited_rows", {}) if isinstance(edits, dict) else {}
    cells = rows.get(row, rows.get(str(row), {}))
    if indicator_id not in cells:
        return MISSING  # not edited here: the grid shows the saved answer
    label = cells[indicator_id]
    return PARTNER_IDS.get(label) if label else None


def redraw_grid(level: str) -> None:
    name = f"survey.grid.{level}"
    st.session_state[name] = st.session_state.get(name, 0) + 1
    _GRIDS.pop(level, None)


def statement_fields(statement_id: str) -> list[Field]:
    def answer() -> StatementAnswer:
        return assessment.answer(statement_id)

    key = f"{prefix}.{statement_id}"
    return [
        Field(
            f"{key}.choice",
            f"{key}.choice",
            statement_id,
            stored=lambda: answer().choice,
            save=lambda value: answer_statement(store, assessment, statement_id, choice=value, actor=actor).choice,
        ),
        Field(
            f"{key}.na",
            f"{key}.na",
            statement_id,
            stored=lambda: answer().na_reason,
            save=lambda value: (
                answer_statement(store, assessment, statement_id, na_reason=value, actor=actor).na_reason
            ),
            normal=text,
        ),
        Field(
            f"{key}.evidence",
            f"{key}.evidence",
            statement_id,
            stored=lambda: answer().evidence,
            save=lambda value: answer_statement(store, assessment, statement_id, evidence=value, actor=actor).evidence,
            normal=text,
        ),
    ]


def partner_fields(partner_id: str, indicator_id: str, level: str, row: int) -> list[Field]:
    def stored() -> str | None:
        return assessment.partner_answer(partner_id, indicator_id)

    def save(value: str | None) -> str | None:
        return answer_partner(store, assessment, partner_id, indicator_id, value, actor=actor)

    question = f"{prefix}.{partner_id}.{indicator_id}.partner"
    return [
        Field(question, question, partner_view.partner_group(partner_id), stored=stored, save=save),
        Field(
            f"{prefix}.partners.{partner_id}.{indicator_id}.cell",
            grid_key(level),
            "partners",
            stored=stored,
            save=save,
            read=lambda: grid_cell(level, row, indicator_id),
            push=lambda _value: redraw_grid(level),
        ),
    ]


FIELDS = {
    statement.id: statement_fields(statement.id) for principle in bank.principles for statement in principle.statements
}
PARTNER_FIELDS = {
    (partner.id, indicator.id): partner_fields(partner.id, indicator.id, indicator.level, row)
    for row, partner in enumerate(bank.partners.partners)
    for indicator in bank.partners.indicators
}
autosave = Autosave(prefix)
autosave.before([f for fields in (*FIELDS.values(), *PARTNER_FIELDS.values()) for f in fields])


def not_saved(group: str, where: str) -> None:
    """A save that failed: the answer stays selected, with what went wrong and a way to try again."""
    if problem := autosave.error(group):
        st.error(f"Your answer was not saved. {problem} Try again.", icon=":material/error:")
        st.button("Try again", key=f"survey.retry.{where}", icon=":material/refresh:")


def saved_as(answer: StatementAnswer) -> str:
    return choice_label(answer.choice) if answer.choice else "no level"


def changed_by(statement_id: str) -> str:
    """Who made the latest change to a statement, in words (from the audit trail)."""
    changes = [c for c in services.history(store, assessment, actor=actor) if c.target == statement_id]
    return plain(changes[-1].by) if changes and changes[-1].by else "Someone in another session"


def card_run() -> bool:
    """True when Streamlit runs one statement's card alone (a fragment, after a change in it), not the page."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def progress_status(answer: StatementAnswer) -> str:
    """What the progress bar and the list of what is still to answer make of an answer (see scoring)."""
    if answer.choice is None:
        return "unanswered"
    if answer.choice == "not_applicable" and not answer.na_reason.strip():
        return "needs_reason"
    return "answered"


def card_may_run_alone(statement_id: str) -> bool:
    """A card run alone saves and shows its own answer. The whole page runs instead when the assessment was
    saved elsewhere since (another tab, an import: every card may have to show it) or when a widget outside
    this card holds a change not yet saved (a click whose own run never came: the page's run saves it)."""
    held = state.current()
    if held is None or held is not WHOLE:
        return False
    try:
        if store.updated_at(held.id) != held.updated_at:
            return False
    except StorageError:
        pass  # the database cannot be read just now: the save is tried, and the card says if it failed
    others = [f for key, fields in FIELDS.items() if key != statement_id for f in fields]
    return not autosave.waiting([*others, *(f for fields in PARTNER_FIELDS.values() for f in fields)])


def in_memory() -> tuple:
    """The open assessment's collections of answers as this session holds them (a save that reads the assessment
    again whole puts new ones in their place; an ordinary save changes one answer in them)."""
    return WHOLE.answers, WHOLE.partner_answers, WHOLE.respondents


def same(now: tuple, then: tuple) -> bool:
    return all(a is b for a, b in zip(now, then, strict=True))


@st.fragment
def statement_fragment(principle: Principle, number: int, statement: Statement, show_levels: bool):
    """One statement's card, as a fragment: a level chosen or a note sent runs this card alone, so its save
    and its "Saved" note take one card's run, not the whole page's. Each run compares the card's widgets with
    the saved answer (app_pages/autosave) as the page's run does; the whole page is run instead when the
    answer moves the progress bar or the list of what is still to answer, or see ``card_may_run_alone``. A session
    that does not know the fragment (a new one, after the server restarted) drops the change unseen: a script runs
    the whole page then (``run_whole_page_if_a_card_change_is_dropped``).

    Returns a storage fault met in the page's run, for the page to raise (streamlit_app.py says it)."""
    try:
        if card_run():
            _GRIDS.clear()  # read afresh in this run
            if not card_may_run_alone(statement.id):
                st.rerun(scope="app")
            was, held = progress_status(assessment.answer(statement.id)), in_memory()
            autosave.before(FIELDS[statement.id])
            # The whole page runs if the save read the assessment again whole (someone saved in between, or a
            # respondent's answer, which moves the partnership's): every card may show something new; or if the
            # answer is a first one or lacks its reason: the progress bar and the list of what is still to answer.
            if not same(in_memory(), held) or progress_status(assessment.answer(statement.id)) != was:
                st.rerun(scope="app")
        statement_card(principle, number, statement, show_levels)
        if card_run():
            autosave.after()
            card_ran()  # last in the card, so that the card itself keeps its place among the page's elements
    except StorageError as error:
        if not card_run():
            return error
        state.storage_fault(error)
        card_ran()
    return None


def statement_card(principle: Principle, number: int, statement: Statement, show_levels: bool) -> None:
    """One statement: its level, its evidence note and, for 'Not applicable', the reason."""
    answer = assessment.answer(statement.id)
    choice, na, evidence = FIELDS[statement.id]
    with st.container(border=True):
        heading = f"{principle.number}.{number} {statement.text}" + (" (local question)" if statement.local else "")
        st.markdown(f"**{heading}**")
        autosave.drawing(choice)
        st.radio(
            # The statement is the question's accessible name, so a screen reader announces it with the choices;
            # it is shown once, in bold, above.
            heading,
            label_visibility="collapsed",
            options=CHOICES,
            index=CHOICES.index(answer.choice) if answer.choice else None,
            format_func=choice_label,
            captions=[*statement.levels, "Not scored: counted as an evidence gap", "Not scored: give a reason"]
            if show_levels
            else None,
            horizontal=not show_levels,
            key=choice.widget,
            disabled=read_only,
        )
        if answer.choice == "not_applicable":
            autosave.drawing(na)
            st.text_input(
                "Why is this not applicable in your area?",
                value=answer.na_reason,
                key=na.widget,
                max_chars=1000,
                disabled=read_only,
            )
            if not answer.na_reason:
                st.warning("Give a reason: until you do, this statement counts as unanswered.")
        autosave.drawing(evidence)
        st.text_area(
            f"Evidence note for statement {principle.number}.{number} (optional)",
            value=answer.evidence,
            key=evidence.widget,
            max_chars=2000,
            disabled=read_only,
            height=68,
            placeholder="What shows this, for example: " + "; ".join(statement.evidence),
        )
        personal_data_warnings(answer.evidence + " " + answer.na_reason)
        not_saved(statement.id, statement.id)
        if autosave.changed_elsewhere(statement.id):
            st.warning(
                f"{changed_by(statement.id)} changed this answer after you gave yours, so it now shows their answer. "
                "Check it, and change it again if you need to.",
                icon=":material/sync_problem:",
            )
        st.caption(
            "Evidence that would show it: "
            + "; ".join(statement.evidence)
            + ". Source: "
            + "; ".join(source.cite() for source in statement.sources)
            + (
                "."
                if statement.weight == 1
                else f". This statement counts {'double' if statement.weight == 2 else f'{statement.weight:g} times'}"
                " in the principle's score."
            )
        )
        if saved_at := autosave.saved_at(statement.id):
            # Names the answer as read back from the database, so "Saved" never vouches for a newer click.
            note = " and your evidence note" if answer.evidence else ""
            saved_note(f"Saved at {saved_at:%H:%M:%S}: {saved_as(answer)}{note}.")


scorecard = answering.scorecard(bank, state.scorecard)
answered = scorecard.answered_count()
total = len(scorecard.statement_results())
grid_cells = len(bank.partners.partners) * len(bank.partners.indicators)
grid_done = sum(  # only the partners and indicators of this bank, so the bar never passes 100%
    1 for p in bank.partners.partners for i in bank.partners.indicators if assessment.partner_answer(p.id, i.id)
)

st.title(f"Self-assessment: {plain(assessment.title)}", anchor=False)
answering_for.draw(store, bank, state.require_assessment(), actor, answering)
# The notices that come and go sit in one container, so the statement cards below keep their places on the
# page, and with them their fragments' ids: a click in a card during a run that adds a notice still runs its card.
with st.container():
    state.bank_update_notice()
    if assessment.is_example:
        st.info("This is a fictional example area. Change any answer to see how the results move.")
    if read_only:
        st.info("You can read this self-assessment, but not change it.", icon=":material/visibility:")
    if notice := autosave.notice():
        st.warning(notice, icon=":material/sync_problem:")
st.progress(
    (answered + grid_done) / (total + grid_cells),
    text=f"{answered} of {total} statements answered · {grid_done} of {grid_cells} partner answers given · "
    "every answer is saved as soon as you give it",
)

section = st.segmented_control(
    "Section",
    options=SECTIONS,
    format_func=SECTION_LABELS.get,
    default=SECTIONS[0],
    required=True,
    key="section",
    bind="query-params",
    help="Principles 1 to 6, then partner coverage. You can answer them in any order.",
)

with st.expander("What is still to answer", icon=":material/checklist:"):
    still = [r for r in scorecard.statement_results() if r.status in ("unanswered", "needs_reason")]
    if not still and grid_done == grid_cells:
        st.success("Every statement and every partner answer has been given.")
    numbers = {s.id: f"{p.number}.{n}" for p in bank.principles for n, s in enumerate(p.statements, start=1)}
    lines = [
        f"- {numbers[r.statement.id]} {r.statement.text} "
        + ("(needs a reason for 'Not applicable')" if r.status == "needs_reason" else "(not answered)")
        for r in still
    ]
    if grid_done < grid_cells:
        lines.append(f"- Partner coverage: {grid_cells - grid_done} answers not given")
    if lines:
        st.markdown("\n".join(lines))  # one element, however long the list

if section == "partners":
    st.header(SECTION_HEADINGS["partners"], divider="gray", anchor=False)
    partner_view.draw(
        partner_view.PartnerPage(
            bank=bank,
            assessment=assessment,
            autosave=autosave,
            question_field=lambda partner_id, indicator_id: PARTNER_FIELDS[partner_id, indicator_id][0],
            cell_field=lambda partner_id, indicator_id: PARTNER_FIELDS[partner_id, indicator_id][1],
            grid_key=grid_key,
            read_only=read_only,
            not_saved=not_saved,
        )
    )
elif section == "review":
    st.header(SECTION_HEADINGS["review"], divider="gray", anchor=False)
    review.draw(bank, assessment, scorecard, go_to)
else:
    principle = bank.principles[int(section[1:]) - 1]
    st.header(SECTION_HEADINGS[section], divider="gray", anchor=False)
    st.write(principle.summary)
    st.caption(
        f"Source: {principle.source.cite()}. Choose the level that best describes your area today. With a keyboard, "
        "use Tab to move between statements and the arrow keys to choose; each choice is saved at once."
    )
    show_levels = st.toggle(
        "Show what each level looks like",
        value=True,
        key="survey.show_levels",
        help="Each statement describes what levels 0 to 4 look like in practice, so that every area means the "
        "same thing by, say, 'Established'.",
    )
    for number, statement in enumerate(principle.statements, start=1):
        if fault := statement_fragment(principle, number, statement, show_levels):
            raise fault


position = SECTIONS.index(section)
back, _, forward = st.columns([1, 2, 1])
if position > 0:
    back.button(
        f"Back: {SECTION_LABELS[SECTIONS[position - 1]]}",
        key="survey.back",
        width="stretch",
        on_click=go_to,
        args=(SECTIONS[position - 1],),
    )
if position < len(SECTIONS) - 1:
    forward.button(
        f"Next: {SECTION_LABELS[SECTIONS[position + 1]]}",
        key="survey.next",
        type="primary",
        width="stretch",
        on_click=go_to,
        args=(SECTIONS[position + 1],),
    )
else:
    forward.page_link(
        "app_pages/results.py", label="See the results", icon=":material/bar_chart:", query_params=state.link_params()
    )

live_region()  # "Saved" notes are said by a screen reader through it
keep_focus()  # a control drawn afresh by a rerun keeps the keyboard focus
keep_typed_notes()  # a note typed but not yet sent is sent before a page link is followed
run_whole_page_if_a_card_change_is_dropped()  # after a server restart, say (see statement_fragment)
focus_heading()  # after Back, Next or Next partner: the focus goes to the new heading
# Last: a widget drawn for the first time in this session may hold an answer given just after a reconnect.
autosave.after()
