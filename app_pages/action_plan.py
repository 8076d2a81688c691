"""Action plan page: the board's prioritised plan for closing its gaps, edited and saved as it goes."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.autosave import Autosave, Field
from app_pages.browser import keep_focus, keep_typed_notes
from app_pages.components import personal_data_warnings, plain
from assessment.model import ACTION_STATUS_LABELS, ActionEdit, Assessment, AssessmentError
from assessment.plan import Action, ActionPlan, build_plan, priority_method
from assessment.privacy import free_text
from assessment.scoring import score
from assessment.services import add_own_action, delete_action, get_assessment, save_action, set_target
from assessment.wording import COST_TEXT, NO_QUICK_WINS_TEXT, QUICK_WIN_TEXT
from benchmarks.loader import get_action_rules, get_library

bank = state.bank()
store = state.store()
library = get_library()
assessment = state.require_assessment()
prefix = assessment.id
actor = state.actor()
read_only = not state.may("manage")  # only the area's coordinator changes its plan

STATUSES = list(ACTION_STATUS_LABELS)
STATUS_ICONS = {
    "not_started": ":material/radio_button_unchecked:",
    "in_progress": ":material/pending:",
    "done": ":material/check_circle:",
    "dropped": ":material/cancel:",
}
PARTNER_NAMES = {p.id: p.name for p in bank.partners.partners}
PRINCIPLE_NAMES = {p.number: f"Principle {p.number}: {p.name}" for p in bank.principles}
# Priority order first: the page promises the actions most likely to make a difference come first.
GROUPINGS = {"priority": "In priority order", "principle": "By principle", "partner": "By partner"}


# ---- saving: every change is saved at once, one transaction each ------------------------------------------------


RECORD = ("owner", "due", "status", "dropped_reason", "notes")


def record_field(action_id: str, name: str) -> Field:
    """One field of the board's record of an action; saved when its widget differs from what is saved."""

    def stored() -> object:
        return getattr(assessment.plan.get(action_id) or ActionEdit(action_id=action_id), name)

    def save(value: object) -> object:
        # The label shows the status, so a new status makes a new expander: keep the one being edited open.
        st.session_state["plan.editing"] = action_id
        return getattr(save_action(store, assessment, action_id, actor=actor, **{name: value}), name)

    key = f"{prefix}.{action_id}.{name}"
    normal = (lambda value: value.strip() if isinstance(value, str) else "") if name in TEXTS else (lambda v: v)
    return Field(key, key, action_id, stored=stored, save=save, normal=normal)


def target_field(number: int) -> Field:
    key = f"{prefix}.target.{number}"
    return Field(
        key,
        key,
        "targets",
        stored=lambda: assessment.target(number),
        save=lambda value: set_target(store, assessment, number, int(value), actor=actor),
    )


TEXTS = {"owner", "dropped_reason", "notes"}


def not_saved(group: str) -> None:
    """A save that failed: the value stays as given, with what went wrong and a way to try again."""
    if problem := autosave.error(group):
        st.error(f"Your change was not saved. {problem} Try again.", icon=":material/error:")
        st.button("Try again", key=f"plan.retry.{group}", icon=":material/refresh:")


def remove_own(action_id: str) -> None:
    delete_action(store, assessment, action_id, actor=actor)


def add_own() -> None:
    values = {name: st.session_state[f"{prefix}.own.{name}"] for name in ("what", "lead", "principle", "partner")}
    try:
        add_own_action(
            store,
            assessment,
            actor=actor,
            what=values["what"],
            lead=values["lead"],
            principle=values["principle"],
            partner_id=values["partner"],
            owner=st.session_state[f"{prefix}.own.owner"],
            due=st.session_state[f"{prefix}.own.due"],
        )
        st.session_state["plan.own_notice"] = "Your action has been added to the plan and saved."
    except AssessmentError as error:
        st.session_state["plan.own_error"] = str(error)


# ---- how one action is shown ----------------------------------------------------------------------------------


def action_label(action: Action) -> str:
    # The board's own words (its actions, owners) are shown as written, never read as Markdown.
    title = plain(action.title) if action.state == "own" else action.title
    parts = [f"{action.rank}. {title}" if action.rank else title]
    if action.state == "closed":
        parts.append("gap now closed")
    if action.state == "awaiting":
        parts.append("not yet re-assessed")
    if action.state == "own":
        parts.append("added by the board")
    # Once the board has named an owner, that is who the row shows; until then, the suggested lead.
    lead = plain(action.lead) if action.state == "own" else action.lead
    parts.append(f"Owner: {plain(action.owner)}" if action.owner else (f"Lead: {lead}" if lead else ""))
    parts.append(action.timescale)
    if action.quick_win:
        parts.append("quick win")
    parts.append(f"**{ACTION_STATUS_LABELS[action.status]}**")
    return " · ".join(part for part in parts if part)


def national_text(action: Action) -> str:
    figure = action.national
    survey = f"the Home Office's national survey of IOM ({library.survey.year})"
    if figure.percent is None:
        return f"National picture: {figure.note}"
    if figure.note.startswith(str(figure.percent)):
        return f"In {survey}, {figure.note[0].lower()}{figure.note[1:]}"
    return f"In {survey}, {figure.percent}% of areas reported involving this partner. {figure.note}"


def show_details(action: Action) -> None:
    if len(action.gaps) == 1:
        st.markdown(f"**The gap.** {action.gaps[0].description}")
    elif action.gaps:
        st.markdown("**The gaps this action answers**\n\n" + "\n".join(f"- {gap.description}" for gap in action.gaps))
    st.markdown(f"**What to do.** {plain(action.what) if action.state == 'own' else action.what}")
    if action.state != "own":
        lead, when, cost = st.columns(3)
        lead.markdown(f"**Lead**  \n{action.lead}")
        when.markdown(f"**Suggested timescale**  \n{action.timescale}")
        cost.markdown(f"**Cost**  \n{COST_TEXT[action.cost]}")
    if action.evidence or action.national:
        lines = [f"- {figure.statement} *({figure.source.cite()})*" for figure in action.evidence]
        if action.national is not None:
            lines.append(f"- {national_text(action)} *({action.national.source.cite()})*")
        st.markdown("**Why it matters**\n\n" + "\n".join(lines))
    if action.rank_reason:
        st.markdown(f"**Why this rank.** {action.rank_reason}")
        if action.rank_working:
            st.caption(f"{action.rank_working} See 'How actions are ranked' above.")
    if action.factors:
        st.markdown(
            "**Enabling factors that help** (from research with probation staff)\n\n"
            + "\n".join(f"- {factor.text} *({factor.source.cite()})*" for factor in action.factors)
        )
    shown: list = []  # each source is cited once: with its practice example, or else with the suggestion
    for example in action.examples:
        with st.container(border=True):
            st.markdown(f"**Practice example: {example.area}, {example.title}**")
            st.markdown(
                f"**The need.** {example.need}\n\n**What they did.** {example.solution}\n\n"
                f"**Outcome.** {example.outcome or 'The sources report no outcome for this example.'}\n\n"
                f"**Cost.** {COST_TEXT[example.cost]}. {example.cost_note}"
            )
            st.caption("Source: " + "; ".join(source.cite() for source in example.sources))
        shown += example.sources
    rest = [source for source in action.sources if source not in shown]
    examples = f"the practice example{'s' if len(action.examples) != 1 else ''} above"
    if rest:
        also = f"{examples} and " if action.examples else ""
        st.caption(f"Where this suggestion comes from: {also}" + "; ".join(source.cite() for source in rest) + ".")
    elif action.sources:
        st.caption(f"Where this suggestion comes from: {examples}.")


def show_record(action: Action) -> None:
    """The board's record of the action: each field saved as soon as it changes."""
    edit = action.edit
    key = f"{prefix}.{action.id}"
    st.markdown("**Your board's record**")
    if read_only:
        show_record_read_only(action)
        return
    not_saved(action.id)
    for name in RECORD if action.status == "dropped" else (n for n in RECORD if n != "dropped_reason"):
        autosave.drawing(FIELDS[action.id, name])
    owner, due, status = st.columns(3)
    owner.text_input(
        "Owner",
        value=edit.owner if edit else "",
        key=f"{key}.owner",
        max_chars=200,
        help="A role or organisation, for example 'Head of housing, district council'. Not a private individual's details.",
    )
    due.date_input(
        "Due date",
        value=edit.due if edit else None,
        key=f"{key}.due",
        format="DD/MM/YYYY",
    )
    status.selectbox(
        "Status",
        options=STATUSES,
        index=STATUSES.index(action.status),
        format_func=ACTION_STATUS_LABELS.get,
        key=f"{key}.status",
    )
    if action.status == "dropped":
        st.text_input(
            "Why was it dropped?",
            value=edit.dropped_reason if edit else "",
            key=f"{key}.dropped_reason",
            max_chars=1000,
        )
        if not (edit and edit.dropped_reason):
            st.warning("Give a reason for dropping this action, so that next year's board knows why.")
    st.text_area(
        "Notes",
        value=edit.notes if edit else "",
        key=f"{key}.notes",
        max_chars=2000,
        height=68,
        placeholder="Progress, decisions, what is in the way",
    )
    personal_data_warnings(free_text(edit) if edit else "")
    if action.state == "own":
        st.button("Remove this action", key=f"{key}.remove", on_click=remove_own, args=(action.id,))


def show_record_read_only(action: Action) -> None:
    """The board's record as text, for someone who may read the plan but not change it."""
    edit = action.edit
    due = f"{edit.due:%d/%m/%Y}" if edit and edit.due else "not set"
    st.text(
        f"Owner: {(edit.owner if edit else '') or 'not set'} · Due: {due} · Status: {ACTION_STATUS_LABELS[action.status]}"
    )
    if edit and edit.dropped_reason:
        st.text(f"Why it was dropped: {edit.dropped_reason}")
    if edit and edit.notes:
        st.text(f"Notes: {edit.notes}")


def show_action(action: Action) -> None:
    expander = st.expander(
        action_label(action),
        expanded=st.session_state.get("plan.editing") == action.id,
        icon=STATUS_ICONS[action.status],
        key=f"{prefix}.{action.id}.open",
        on_change="rerun",
    )
    # Only an open action is drawn in full: the page stays quick however long the plan is.
    if expander.open:
        with expander:
            show_details(action)
            show_record(action)


def show_groups(plan: ActionPlan, actions: list[Action], grouping: str) -> None:
    groups: dict[str, list[Action]] = {}
    if grouping == "principle":
        for number, name in PRINCIPLE_NAMES.items():
            groups[name] = [a for a in actions if a.principle == number]
        groups["Partner involvement"] = [a for a in actions if a.principle is None and a.partners]
        groups["Other actions"] = [a for a in actions if a.principle is None and not a.partners]
    elif grouping == "partner":
        for partner_id, name in PARTNER_NAMES.items():
            groups[name] = [a for a in actions if a.partner_id == partner_id]
        groups["The partnership as a whole"] = [a for a in actions if a.partner_id is None]
    else:
        groups["Suggested actions, most important first"] = [a for a in actions if a.state == "open"]
        groups["Carried forward from last year, not yet re-assessed"] = [a for a in actions if a.state == "awaiting"]
        groups["Actions whose gap has closed"] = [a for a in actions if a.state == "closed"]
        groups["Actions your board added"] = [a for a in actions if a.state == "own"]
    for title, members in groups.items():
        if not members:
            continue
        st.subheader(f"{title} ({len(members)})", anchor=False)
        for action in members:
            show_action(action)


def own_action_form() -> None:
    with st.form("plan.own", clear_on_submit=True, border=False):
        st.text_area(
            "What will be done",
            key=f"{prefix}.own.what",
            max_chars=2000,
            height=80,
            placeholder="For example: agree a shared referral form with the district councils",
        )
        lead_col, owner_col, due_col = st.columns(3)
        lead_col.text_input("Lead partner", key=f"{prefix}.own.lead", max_chars=200)
        owner_col.text_input("Owner", key=f"{prefix}.own.owner", max_chars=200)
        due_col.date_input("Due date", value=None, key=f"{prefix}.own.due", format="DD/MM/YYYY")
        principle_col, partner_col = st.columns(2)
        principle_col.selectbox(
            "Principle it concerns (optional)",
            options=[None, *PRINCIPLE_NAMES],
            format_func=lambda n: "None" if n is None else PRINCIPLE_NAMES[n],
            key=f"{prefix}.own.principle",
        )
        partner_col.selectbox(
            "Partner it concerns (optional)",
            options=[None, *PARTNER_NAMES],
            format_func=lambda p: "None" if p is None else PARTNER_NAMES[p],
            key=f"{prefix}.own.partner",
        )
        st.form_submit_button("Add to the plan", on_click=add_own)


# ---- the page --------------------------------------------------------------------------------------------------

# First save what differs from the saved plan (app_pages/autosave), then draw the plan as saved.
FIELDS = {
    (action_id, name): record_field(action_id, name)
    for action_id in sorted({a.id for a in state.plan().all()} | set(assessment.plan))
    for name in RECORD
}
TARGETS = {principle.number: target_field(principle.number) for principle in bank.principles}
autosave = Autosave(f"{prefix}.plan")
autosave.before([*FIELDS.values(), *TARGETS.values()])

scorecard = state.scorecard()
plan = state.plan()

st.title(f"Action plan: {plain(assessment.title)}", anchor=False)
if assessment.is_example:
    st.info("This is a fictional example area. Its plan shows how the suggestions follow from the answers.")
if read_only:
    st.info("You can read this plan, but only the area's coordinator can change it.", icon=":material/visibility:")
st.markdown(
    "For each gap in your self-assessment, the plan suggests what to do, who should lead, by when, and why, "
    "drawing on what other IOM areas have done. The actions most likely to make a difference come first. "
    "Open an action to see the practice example behind it and to record its owner, due date and progress: "
    "**every change is saved as soon as you make it**."
)

done = sum(1 for a in plan.all() if a.status == "done")
gaps_metric, actions_metric, quick_metric, done_metric = st.columns(4)
gaps_metric.metric("Gaps found", len(plan.gaps))
actions_metric.metric("Suggested actions", len(plan.actions))
quick_metric.metric("Quick wins", sum(1 for a in plan.actions if a.quick_win), help=QUICK_WIN_TEXT)
done_metric.metric("Actions done", done)

# These expanders draw their content only when open, so the page stays quick.
targets = st.expander("Target level for each principle", icon=":material/flag:", key="plan.targets", on_change="rerun")
if targets.open:
    targets.write(
        "A statement below its principle's target is a gap. The default target is 3 (Established). "
        "Changing a target changes the plan at once."
    )
    with targets:
        not_saved("targets")
    columns = targets.columns(3)
    for index, principle in enumerate(bank.principles):
        autosave.drawing(TARGETS[principle.number])
        columns[index % 3].number_input(
            PRINCIPLE_NAMES[principle.number],
            min_value=0,
            max_value=4,
            step=1,
            value=assessment.target(principle.number),
            key=f"{prefix}.target.{principle.number}",
            help="0 Not in place, 1 Emerging, 2 Developing, 3 Established, 4 Embedded.",
        )

ranking = st.expander("How actions are ranked", icon=":material/sort:", key="plan.ranking", on_change="rerun")
if ranking.open:
    ranking.markdown("\n".join(f"{n}. {step}" for n, step in enumerate(priority_method(bank), start=1)))

if not plan.all():
    st.success("No gaps against your targets: there is nothing to add to the plan. You can still add your own actions.")

gap_key = st.query_params.get("gap")
gap = next((g for g in plan.gaps if g.key == gap_key), None)
if gap_key and gap is None:
    st.info("That gap is now closed, so the whole plan is shown.")
if gap is not None:
    with st.container(border=True):
        st.markdown(f"**Showing the actions for one gap.** {gap.description}")
        if st.button("Show the whole plan", key="plan.whole"):
            del st.query_params["gap"]
            st.rerun()

st.header("The plan", divider="gray", anchor=False)
grouping = st.segmented_control(
    "Group actions",
    options=list(GROUPINGS),
    format_func=GROUPINGS.get,
    default="priority",
    required=True,
    key="plan.group",
)
principle_col, partner_col, lead_col, quick_col = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
principle_filter = principle_col.selectbox(
    "Principle",
    options=[None, *PRINCIPLE_NAMES],
    format_func=lambda n: "All principles" if n is None else PRINCIPLE_NAMES[n],
    key="plan.principle",
)
partner_filter = partner_col.selectbox(
    "Partner",
    options=[None, *PARTNER_NAMES],
    format_func=lambda p: "All partners" if p is None else PARTNER_NAMES[p],
    key="plan.partner",
)
lead_filter = lead_col.selectbox(
    "Lead",
    options=[None, *plan.leads()],
    format_func=lambda lead: "Any lead" if lead is None else lead,
    key="plan.lead",
)
quick_wins = quick_col.toggle(
    "Quick wins only",
    key="plan.quick_wins",
    help=QUICK_WIN_TEXT,
)

selected = plan.select(
    principle=principle_filter,
    partner_id=partner_filter,
    lead=lead_filter,
    quick_wins=quick_wins,
    gap_key=gap.key if gap else None,
)
st.caption(f"Showing {len(selected)} of {len(plan.all())} actions.")
if quick_wins and plan.actions and not any(a.quick_win for a in plan.actions):
    st.info(NO_QUICK_WINS_TEXT)
elif plan.all() and not selected:
    st.info("No actions match these filters. Choose 'All' in a filter, or turn off 'Quick wins only'.")
show_groups(plan, selected, grouping or "priority")

st.header("Add your own action", divider="gray", anchor=False)
if notice := st.session_state.pop("plan.own_notice", None):
    st.success(notice)
if problem := st.session_state.pop("plan.own_error", None):
    st.error(plain(problem))
own_form = st.expander(
    "Add an action the plan does not suggest", icon=":material/add:", key="plan.own_open", on_change="rerun"
)
if own_form.open:
    with own_form:
        if read_only:
            st.write("Only the area's coordinator can add actions to its plan.")
        else:
            own_action_form()

if assessment.previous_id:
    st.header("Last year's plan", divider="gray", anchor=False)

    def last_years_plan() -> tuple[Assessment, ActionPlan] | None:
        try:
            previous = get_assessment(store, assessment.previous_id, actor=actor)
        except AssessmentError:  # no longer saved, or not the user's to see
            return None
        return previous, build_plan(bank, library, previous, score(bank, previous), rules=get_action_rules())

    # Keyed on last year's own saves too, so a change made to last year's plan shows here at once.
    last = state.per_revision(f"last_years_plan@{store.updated_at(assessment.previous_id)}", last_years_plan)
    if last is None:
        st.write("Last year's assessment is no longer saved, so its plan cannot be shown.")
    else:
        previous, last_plan = last
        recorded = [a for a in last_plan.all() if a.edit is not None]
        st.write(
            f"What {plain(previous.title)}'s board recorded against its plan. Actions not started or in progress have "
            "been carried into this year's plan with their owner, due date and notes."
        )
        if not recorded:
            st.write("Nothing was recorded against last year's plan.")
        else:
            st.dataframe(
                [
                    {
                        "Action": a.title,
                        "Status": ACTION_STATUS_LABELS[a.status],
                        "Owner": a.edit.owner,
                        "Due": a.edit.due,
                        "Notes": a.edit.notes or a.edit.dropped_reason,
                    }
                    for a in recorded
                ],
                hide_index=True,
                width="stretch",
            )
        for label, status in (("done", "done"), ("dropped", "dropped")):
            count = sum(1 for a in recorded if a.status == status)
            if count:
                st.caption(f"{count} action{'s' if count != 1 else ''} {label} last year.")

keep_focus()  # a control drawn afresh by a rerun keeps the keyboard focus
keep_typed_notes()  # text typed but not yet sent is sent before a page link is followed
autosave.after()
