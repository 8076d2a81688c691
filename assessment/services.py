"""Use cases the pages and the command line call: start, resume, answer, and the example area.

Every use case takes the acting user (``actor``) and checks access in one place, ``authorise``, by the rules
of ``access.py``. The implicit local user of local mode has every right, and is refused in shared mode, so no
code path skips sign-in there.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assessment.access import LOCAL_USER, SIGN_IN_FIRST, AccessDenied, Area, Membership, Right, User
from assessment.agreement import agency_label, propose, respondent_label, settled
from assessment.audit import Change
from assessment.comparison import Comparison, Provenance, compare
from assessment.database import is_shared_mode
from assessment.directory import Directory
from assessment.files.excel.reader import read_workbook
from assessment.files.imported import ImportedAssessment, version_relation
from assessment.files.json import read_json
from assessment.free_text import hidden_characters_message
from assessment.merging import respondents_of
from assessment.migration import can_migrate, migrate, migrate_partnership
from assessment.model import (
    AGENCY_OTHER,
    BOARD_TOGETHER,
    OWN_PREFIX,
    ActionEdit,
    Agreed,
    Assessment,
    AssessmentError,
    Choice,
    Moderation,
    PartnerChoice,
    Respondent,
    StatementAnswer,
    new_id,
    now,
)
from assessment.plan import carry_forward
from assessment.store import AssessmentSummary, Audit, BankUpdate, Saved, Store
from questions.migrations import base_version
from questions.models import QuestionBank

logger = logging.getLogger(__name__)
ANSWERING = ("coordinator", "contributor")  # the roles whose holders answer for their agency

EXAMPLE_AREA = "Exampleshire (fictional example)"


# ---- access: the one place it is checked -------------------------------------------------------------------------


def directory(store: Store) -> Directory:
    """The areas, memberships and audit trail kept in the same database as the store's assessments."""
    return store.directory


def authorise(
    store: Store,
    actor: User,
    right: Right,
    *,
    assessment: Assessment | AssessmentSummary | None = None,
    area_name: str | None = None,
) -> Area | None:
    """Check that ``actor`` may use ``right`` on an assessment or on the area of that name; else AccessDenied.

    The message never names what the user may not see. Returns the area checked (None in local mode, and for a
    right on no area in particular).
    """
    if actor.local:
        if is_shared_mode():
            raise AccessDenied(SIGN_IN_FIRST)
        return None
    if assessment is not None and assessment.is_example and actor.has_role and right != "administer":
        return None  # the fictional example is a sandbox every member may try
    area: Area | None = None
    if assessment is not None:
        area = directory(store).area_of(assessment.id, assessment.area)
    elif area_name is not None:
        area = directory(store).area_named(area_name)
        if area is None and not actor.operator:
            raise AccessDenied(
                f"There is no area called {' '.join(area_name.split())} that you may work on. "
                + _your_areas(store, actor)
            )
    if not actor.may(right, area):
        raise AccessDenied()
    return area


def _audit(actor: User, action: str, target: str = "", detail: dict[str, object] | None = None) -> Audit:
    """What a save records in the audit trail, in the save's own transaction: who (in shared mode) and what."""
    by = "" if actor.local else (actor.label if actor.operator else actor.email)
    return Audit(by=by, action=action, target=target, detail=detail)


def history(store: Store, assessment: Assessment, *, actor: User) -> list[Change]:
    """Every recorded change to the assessment, oldest first, for the History view and the JSON export."""
    authorise(store, actor, "read", assessment=assessment)
    return directory(store).history(assessment.id)


def _your_areas(store: Store, actor: User) -> str:
    names = sorted(a.name for a in directory(store).areas() if a.code in actor.areas_to_manage())
    return f"You can start assessments for: {', '.join(names)}." if names else "Ask your admin to add you to your area."


def readable(store: Store, summaries: Iterable[AssessmentSummary], *, actor: User) -> list[AssessmentSummary]:
    """Only the assessments the acting user may see."""
    summaries = list(summaries)
    if actor.local:
        authorise(store, actor, "read")
        return summaries
    book = directory(store)
    codes = book.area_codes()
    areas = {a.code: a for a in book.areas()}
    visible = []
    for summary in summaries:
        code = codes.get(summary.id)
        area = areas.get(code) if code else None
        if area is None:
            area = book.area_of(summary.id, summary.area)
            areas[area.code] = area
        if (summary.is_example and actor.has_role) or actor.may("read", area):
            visible.append(summary)
    return visible


def list_assessments(store: Store, *, actor: User) -> list[AssessmentSummary]:
    """The saved assessments the acting user may see, for the Start and Compare pages."""
    return readable(store, store.list(), actor=actor)


def get_assessment(store: Store, assessment_id: str, *, actor: User) -> Assessment:
    """One saved assessment, if the acting user may read it; otherwise 'You do not have access ...'."""
    assessment = store.get(assessment_id)
    authorise(store, actor, "read", assessment=assessment)
    return assessment


def may(store: Store, actor: User, right: Right, assessment: Assessment) -> bool:
    """Whether the acting user may use ``right`` on this assessment: pages use it to show or hide edit widgets."""
    try:
        authorise(store, actor, right, assessment=assessment)
    except AccessDenied:
        return False
    return True


def areas_to_start(store: Store, *, actor: User) -> list[Area] | None:
    """The areas the acting user may start an assessment for (None: any area, typed in, as in local mode)."""
    if actor.local or actor.operator:
        return None
    return [a for a in directory(store).areas() if actor.may("manage", a)]


class AlreadyExists(AssessmentError):
    """An assessment for this area and year is already saved."""

    def __init__(self, existing: list[AssessmentSummary]) -> None:
        self.existing = existing
        first = existing[0]
        super().__init__(
            f"There is already an assessment for {first.area} {first.year}. Resume it, or choose to start another."
        )


def start_assessment(
    store: Store,
    bank: QuestionBank,
    *,
    area: str,
    year: int,
    allow_duplicate: bool = False,
    actor: User = LOCAL_USER,
) -> Assessment:
    """Create an empty assessment for an area and year, refusing a silent duplicate."""
    if problem := hidden_characters_message(area, what="The name of the area"):
        raise AssessmentError(problem)
    area = " ".join(area.split())
    if not area:
        raise AssessmentError("Enter the name of your area, for example 'Northshire'.")
    if not 2000 <= year <= 2100:
        raise AssessmentError("Enter the year as four digits, for example 2026.")
    authorise(store, actor, "manage", area_name=area)
    existing = store.find(area, year)
    if existing and not allow_duplicate:
        raise AlreadyExists(existing)
    # Last year's plan comes with the new year: its unfinished actions and its targets.
    previous = previous_assessment(store, area=area, year=year)
    if previous is not None:
        previous = bring_up_to_date(store, bank, previous)
    return store.create(
        audit=_audit(actor, "start", detail={"area": area, "year": year}),
        assessment=Assessment(
            area=area,
            year=year,
            bank_version=bank.version,
            previous_id=previous.id if previous else None,
            targets=dict(previous.targets) if previous else {},
            plan=carry_forward(previous) if previous else {},
        ),
    )


def bring_up_to_date(store: Store, bank: QuestionBank, assessment: Assessment) -> Assessment:
    """A saved assessment made on an older question bank, moved to the bank in use and saved, with its changes kept.

    Answers follow the mapping in ``questions/bank/migrations/``; the list of what changed and which answers need
    a fresh look is saved with it (``Store.bank_update``) until the board dismisses it. An assessment already on
    the bank in use, or on a version the app holds no mapping from, is returned as it is.
    """
    if base_version(assessment.bank_version) == base_version(bank.version):
        return assessment
    if version_relation(assessment.bank_version, bank.version) != "older" or not can_migrate(
        assessment.bank_version, bank
    ):
        return assessment
    migrated = migrate(
        bank, assessment.bank_version, assessment.answers, assessment.plan, partner_ids=set(assessment.partner_answers)
    )
    # Each agency's own answers, the agreed answers and the inspector's statements follow their statements too.
    partnership = migrate_partnership(
        bank, assessment.bank_version, assessment.respondents, assessment.agreed, assessment.moderation
    )
    updated = settled(
        assessment.model_copy(
            update={
                "bank_version": bank.version,
                "answers": migrated.answers,
                "plan": migrated.plan,
                "respondents": partnership.respondents,
                "agreed": partnership.agreed,
                "moderation": partnership.moderation,
                "updated_at": now(),
            }
        ),
        bank,
    )
    changes = (*migrated.changes, *partnership.changes)
    update = BankUpdate(assessment.bank_version, bank.version, changes, migrated.fresh_look, now())
    return store.save_bank_update(updated, update)


def open_saved(store: Store, bank: QuestionBank, assessment_id: str, *, actor: User = LOCAL_USER) -> Assessment:
    """A saved assessment the acting user may read, brought up to the bank in use first if made on an older one."""
    return bring_up_to_date(store, bank, get_assessment(store, assessment_id, actor=actor))


def previous_assessment(store: Store, *, area: str, year: int) -> Assessment | None:
    """The latest earlier year's assessment of the same area, if there is one."""
    wanted = " ".join(area.split()).casefold()
    earlier = [s for s in store.list() if s.area.casefold() == wanted and s.year < year]
    if not earlier:
        return None
    latest = max(earlier, key=lambda s: (s.year, s.updated_at, s.id))
    return store.get(latest.id)


def _follow(store: Store, assessment: Assessment, saved: Saved) -> bool:
    """Move the copy in memory on to the save just made; True if it was read again whole.

    If someone else (another tab, an import) saved between the copy being read and this save, the copy is
    read again from the store, so it never holds a stale answer beside a fresh one.
    """
    if saved.previous != assessment.updated_at:
        fresh = store.get(assessment.id)
        for name in type(assessment).model_fields:
            setattr(assessment, name, getattr(fresh, name))
        return True
    assessment.updated_at = saved.stamp
    return False


def answer_statement(
    store: Store,
    assessment: Assessment,
    statement_id: str,
    *,
    choice: Choice | object | None = ...,
    evidence: str | None = None,
    na_reason: str | None = None,
    actor: User = LOCAL_USER,
) -> StatementAnswer:
    """Change part of one answer, save it at once, and keep the assessment in memory in step.

    Only the fields given change: the store applies them to the answer as saved, so another tab's change to
    the same answer is kept. Returns the answer as read back from the database after the save.
    """
    authorise(store, actor, "answer", assessment=assessment)
    changes: dict[str, object] = {}
    if choice is not ...:
        changes["choice"] = choice
    if evidence is not None:
        changes["evidence"] = evidence.strip()
    if na_reason is not None:
        changes["na_reason"] = na_reason.strip()
    saved = store.update_answer(
        assessment.id, statement_id, changes, audit=_audit(actor, "answer", statement_id, changes)
    )
    if not _follow(store, assessment, saved):
        if saved.value.is_empty:
            assessment.answers.pop(statement_id, None)
        else:
            assessment.answers[statement_id] = saved.value
    return saved.value


def answer_partner(
    store: Store,
    assessment: Assessment,
    partner_id: str,
    indicator_id: str,
    value: PartnerChoice | None,
    *,
    actor: User = LOCAL_USER,
) -> PartnerChoice | None:
    """Save one partner answer (None clears it); returns the answer as read back from the database."""
    authorise(store, actor, "answer", assessment=assessment)
    target = f"{partner_id}.{indicator_id}"
    saved = store.update_partner_answer(
        assessment.id, partner_id, indicator_id, value, audit=_audit(actor, "partner", target, {"value": value})
    )
    if not _follow(store, assessment, saved):
        row = assessment.partner_answers.setdefault(partner_id, {})
        if saved.value is None:
            row.pop(indicator_id, None)
        else:
            row[indicator_id] = saved.value
    return saved.value


def set_target(
    store: Store, assessment: Assessment, principle_number: int, level: int, *, actor: User = LOCAL_USER
) -> int:
    """Save one principle's target level; returns the target as read back from the database."""
    authorise(store, actor, "manage", assessment=assessment)
    saved = store.update_target(
        assessment.id, principle_number, level, audit=_audit(actor, "target", str(principle_number), {"level": level})
    )
    if not _follow(store, assessment, saved):
        assessment.targets = saved.value
    return assessment.target(principle_number)


def save_action(
    store: Store, assessment: Assessment, action_id: str, *, actor: User = LOCAL_USER, **changes: object
) -> ActionEdit:
    """Change part of the board's record of one action, save it at once, and keep the assessment in step.

    ``changes`` are ``ActionEdit`` fields (owner, due, status, dropped_reason, notes, ...). A record of a
    suggested action that is back to its defaults is deleted, so it leaves no trace in the plan. Returns the
    record as read back from the database.
    """
    authorise(store, actor, "manage", assessment=assessment)
    cleaned = {key: value.strip() if isinstance(value, str) else value for key, value in changes.items()}
    saved = store.update_action(assessment.id, action_id, cleaned, audit=_audit(actor, "plan", action_id, cleaned))
    if not _follow(store, assessment, saved):
        if saved.value is None:
            assessment.plan.pop(action_id, None)
        else:
            assessment.plan[action_id] = saved.value
    return saved.value or ActionEdit(action_id=action_id)


def add_own_action(
    store: Store,
    assessment: Assessment,
    *,
    what: str,
    lead: str = "",
    principle: int | None = None,
    partner_id: str | None = None,
    owner: str = "",
    due: object = None,
    actor: User = LOCAL_USER,
) -> ActionEdit:
    """Add an action the board has thought of itself to the plan, saved at once."""
    authorise(store, actor, "manage", assessment=assessment)
    what = what.strip()
    if not what:
        raise AssessmentError("Describe the action in the box 'What will be done', then add it.")
    edit = ActionEdit.model_validate(
        {
            "action_id": f"{OWN_PREFIX}{new_id()[:12]}",
            "own": True,
            "what": what,
            "lead": lead.strip(),
            "principle": principle,
            "partner_id": partner_id,
            "owner": owner.strip(),
            "due": due,
        }
    )
    saved = store.save_action(assessment.id, edit, audit=_audit(actor, "plan-add", edit.action_id, {"what": edit.what}))
    if not _follow(store, assessment, saved) and saved.value is not None:
        assessment.plan[edit.action_id] = saved.value
    return saved.value or edit


def delete_action(store: Store, assessment: Assessment, action_id: str, *, actor: User = LOCAL_USER) -> None:
    """Remove the board's record of an action (for its own actions: the action itself)."""
    authorise(store, actor, "manage", assessment=assessment)
    saved = store.delete_action(assessment.id, action_id, audit=_audit(actor, "plan-remove", action_id))
    if not _follow(store, assessment, saved):
        assessment.plan.pop(action_id, None)


# ---- each agency's own answers, the agreed position and the inspector's moderation (issue 10) -----------------


def _refresh(store: Store, assessment: Assessment) -> None:
    """Read the assessment again whole after a change that moves the partnership's answers too."""
    fresh = store.get(assessment.id)
    for name in type(assessment).model_fields:
        setattr(assessment, name, getattr(fresh, name))


def own_respondent(assessment: Assessment, actor: User) -> Respondent | None:
    """Shared mode: the signed-in person's own respondent in this assessment, if they have started one."""
    if actor.local or actor.operator or not actor.email:
        return None
    return next((r for r in assessment.respondents if r.user == actor.email), None)


def add_respondent(
    store: Store,
    bank: QuestionBank,
    assessment: Assessment,
    *,
    agency: str,
    agency_name: str = "",
    name: str = "",
    role: str = "",
    actor: User = LOCAL_USER,
) -> Respondent:
    """Start answering for an agency (a partner of the bank, or 'other' with its name), saved at once.

    Shared mode: the signed-in person answers as themselves, once per assessment. Local mode: one respondent
    per agency (choosing the agency again carries on with its answers). The first time agencies answer
    separately, answers the board has already given are kept as one more respondent, 'The board, together'.
    """
    authorise(store, actor, "answer", assessment=assessment)
    if agency != AGENCY_OTHER and agency not in {p.id for p in bank.partners.partners}:
        raise AssessmentError("Choose the agency you answer for from the list, or choose 'Another agency'.")
    agency_name = " ".join(agency_name.split()) if agency == AGENCY_OTHER else ""
    if agency == AGENCY_OTHER and not agency_name:
        raise AssessmentError("Enter the name of the agency you answer for.")
    if (mine := own_respondent(assessment, actor)) is not None:
        return mine
    if actor.local or actor.operator:
        for held in assessment.respondents:
            if not held.user and held.agency == agency and held.agency_name.casefold() == agency_name.casefold():
                return held
    _keep_board_answers(store, bank, assessment, actor)
    signed_in = not (actor.local or actor.operator)
    respondent = Respondent(
        agency=agency,
        agency_name=agency_name,
        name=name or (actor.name if signed_in else ""),  # shared mode: the person signed in answers as themselves
        role=role,
        user=actor.email if signed_in else "",
    )
    label = agency_label(bank, respondent)
    store.add_respondent(
        assessment.id,
        respondent,
        bank=bank,
        audit=_audit(actor, "respondent", respondent.id, {"agency": label, "name": name, "role": role}),
    )
    _refresh(store, assessment)
    return assessment.respondent(respondent.id)


def _keep_board_answers(store: Store, bank: QuestionBank, assessment: Assessment, actor: User) -> None:
    """The first time agencies answer separately, the answers the board gave together become one respondent."""
    if assessment.respondents or not (assessment.answers or assessment.partner_answers):
        return
    board = Respondent(
        agency=AGENCY_OTHER,
        agency_name=BOARD_TOGETHER,
        answers=dict(assessment.answers),
        partner_answers={p: dict(row) for p, row in assessment.partner_answers.items()},
    )
    store.add_respondent(
        assessment.id,
        board,
        bank=bank,
        audit=_audit(actor, "respondent", board.id, {"agency": BOARD_TOGETHER, "first": True}),
    )


def add_returns(
    store: Store, bank: QuestionBank, assessment_id: str, imported: ImportedAssessment, *, actor: User = LOCAL_USER
) -> Assessment:
    """Add an uploaded return (an agency's filled-in template) to a saved assessment as that agency's own answers.

    Local mode: a return for an agency that has already answered replaces that agency's answers (a corrected
    copy uploaded again); the others' answers are kept. The partnership's answers are then proposed afresh.
    """
    assessment = store.get(assessment_id)
    authorise(store, actor, "manage", assessment=assessment)
    found = imported.assessment
    if (" ".join(found.area.split()).casefold(), found.year) != (
        " ".join(assessment.area.split()).casefold(),
        assessment.year,
    ):
        raise AssessmentError(
            f"The uploaded return is for {found.title}, not {assessment.title}: it cannot be added to it."
        )
    _keep_board_answers(store, bank, assessment, actor)
    held = store.get(assessment_id).respondents
    for respondent in respondents_of(imported.kind, imported):
        same = next(
            (
                r
                for r in held
                if not r.user
                and not respondent.user
                and r.agency == respondent.agency
                and r.agency_name.casefold() == respondent.agency_name.casefold()
            ),
            None,
        )
        fresh = respondent.model_copy(update={"id": new_id()})
        store.add_respondent(
            assessment_id,
            fresh,
            replace_id=same.id if same else None,
            bank=bank,
            audit=_audit(actor, "respondent", fresh.id, {"agency": agency_label(bank, fresh), "file": imported.kind}),
        )
    return store.get(assessment_id)


def change_respondent(
    store: Store,
    bank: QuestionBank,
    assessment: Assessment,
    respondent_id: str,
    *,
    actor: User = LOCAL_USER,
    **changes: str,
) -> Respondent:
    """Change a respondent's name or role (in shared mode, only one's own)."""
    respondent = _answerable(store, assessment, respondent_id, actor)
    cleaned = {k: " ".join(str(v).split()) for k, v in changes.items() if k in ("name", "role")}
    store.update_respondent(
        assessment.id,
        respondent.id,
        cleaned,
        bank=bank,
        audit=_audit(
            actor, "respondent-change", respondent.id, {"agency": respondent_label(bank, respondent), **cleaned}
        ),
    )
    _refresh(store, assessment)
    return assessment.respondent(respondent_id)


def area_people(store: Store, assessment: Assessment, *, actor: User) -> list[str]:
    """Shared mode: the emails of the area's coordinators and contributors, who may answer (none in local mode)."""
    area = authorise(store, actor, "read", assessment=assessment)
    if area is None:
        return []
    found = {m.email for m in directory(store).memberships() if m.area_code == area.code and m.role in ANSWERING}
    return sorted(found)


def remove_respondent(
    store: Store, bank: QuestionBank, assessment: Assessment, respondent_id: str, *, actor: User = LOCAL_USER
) -> None:
    """Remove a respondent added by mistake, with all their answers, and propose the partnership's answers afresh.

    Only a coordinator (or anyone in local mode) removes a respondent; the audit trail records it. What the board
    has agreed stays agreed. When only 'The board, together' is left, the board answers together again, with its
    answers; when nobody is left, no answer is left either.
    """
    authorise(store, actor, "manage", assessment=assessment)
    respondent = assessment.respondent(respondent_id)
    partner_count = sum(len(row) for row in respondent.partner_answers.values())
    detail = {
        "agency": agency_label(bank, respondent),
        "statements": sum(1 for a in respondent.answers.values() if not a.is_empty),
        "partners": partner_count,
    }
    store.remove_respondent(
        assessment.id, respondent_id, bank=bank, audit=_audit(actor, "respondent-remove", respondent_id, detail)
    )
    _refresh(store, assessment)


def _answerable(store: Store, assessment: Assessment, respondent_id: str, actor: User) -> Respondent:
    """The respondent whose answers the actor may change: any in local mode; in shared mode only their own."""
    authorise(store, actor, "answer", assessment=assessment)
    respondent = assessment.respondent(respondent_id)
    if not (actor.local or actor.operator) and respondent.user != actor.email:
        raise AccessDenied("You can change only your own answers. Each person answers for their own agency.")
    return respondent


def answer_as(
    store: Store,
    bank: QuestionBank,
    assessment: Assessment,
    respondent_id: str,
    statement_id: str,
    *,
    choice: Choice | object | None = ...,
    evidence: str | None = None,
    na_reason: str | None = None,
    actor: User = LOCAL_USER,
) -> StatementAnswer:
    """Change part of one respondent's answer, save it at once, and set the partnership's answer from everyone's.

    Returns the respondent's answer as read back from the database.
    """
    respondent = _answerable(store, assessment, respondent_id, actor)
    changes: dict[str, object] = {}
    if choice is not ...:
        changes["choice"] = choice
    if evidence is not None:
        changes["evidence"] = evidence.strip()
    if na_reason is not None:
        changes["na_reason"] = na_reason.strip()
    detail = {"for": agency_label(bank, respondent), **changes}
    saved = store.update_respondent_answer(
        assessment.id,
        respondent_id,
        statement_id,
        changes,
        bank=bank,
        audit=_audit(actor, "respondent-answer", statement_id, detail),
    )
    _refresh(store, assessment)
    return saved.value


def answer_partner_as(
    store: Store,
    bank: QuestionBank,
    assessment: Assessment,
    respondent_id: str,
    partner_id: str,
    indicator_id: str,
    value: PartnerChoice | None,
    *,
    actor: User = LOCAL_USER,
) -> PartnerChoice | None:
    """Save one respondent's partner answer (None clears it); returns it as read back from the database."""
    respondent = _answerable(store, assessment, respondent_id, actor)
    saved = store.update_respondent_partner_answer(
        assessment.id,
        respondent_id,
        partner_id,
        indicator_id,
        value,
        audit=_audit(
            actor,
            "respondent-partner",
            f"{partner_id}.{indicator_id}",
            {"for": agency_label(bank, respondent), "value": value},
        ),
    )
    _refresh(store, assessment)
    return saved.value


def agree(
    store: Store,
    bank: QuestionBank,
    assessment: Assessment,
    statement_id: str,
    *,
    choice: Choice | None,
    reason: str = "",
    actor: User = LOCAL_USER,
) -> Agreed | None:
    """Record the partnership's agreed answer to a statement: the proposal accepted, or an answer set with a
    reason (a reason is needed whenever it differs from the proposal). ``choice`` None withdraws the agreement,
    and the statement goes back to its proposal. Only a coordinator (or anyone in local mode) agrees."""
    authorise(store, actor, "manage", assessment=assessment)
    if not bank.has_statement(statement_id):
        raise AssessmentError("That statement is not in the question bank in use.")
    agreed = None
    if choice is not None:
        proposed = propose(r.answer(statement_id).choice for r in assessment.respondents)
        reason = reason.strip()
        if choice != proposed and not reason:
            raise AssessmentError(
                "Give the reason for agreeing an answer other than the proposed one: the reason is kept with it."
            )
        by = "" if actor.local else actor.label
        agreed = Agreed(choice=choice, reason=reason, proposed=proposed, by=by)
    detail = {"choice": choice, "accepted": agreed is not None and choice == agreed.proposed, "reason": reason}
    saved = store.agree(
        assessment.id, statement_id, agreed, bank=bank, audit=_audit(actor, "agree", statement_id, detail)
    )
    _refresh(store, assessment)
    return saved.value


def moderate(
    store: Store,
    assessment: Assessment,
    *,
    principle: int,
    level: int | None,
    reason: str = "",
    statement_id: str | None = None,
    actor: User = LOCAL_USER,
) -> Moderation | None:
    """Record an inspector's moderated level for a principle (or one of its statements) with the reason;
    ``level`` None removes it. Only an inspector records moderation; it never changes the board's answers."""
    authorise(store, actor, "moderate", assessment=assessment)
    reason = reason.strip()
    if level is not None and not reason:
        raise AssessmentError("Give the reason for the inspected level: the board sees it beside the level.")
    moderation = Moderation(
        principle=principle,
        statement_id=statement_id,
        level=level if level is not None else 0,
        reason=reason or "removed",
        by="" if actor.local else actor.label,
    )
    saved = store.moderate(
        assessment.id,
        moderation,
        remove=level is None,
        audit=_audit(actor, "moderate", str(principle), {"level": level, "statement": statement_id, "reason": reason}),
    )
    _refresh(store, assessment)
    return saved.value


def settle(bank: QuestionBank, assessment: Assessment) -> Assessment:
    """The assessment with its answers set to the partnership's position (for files read or merged)."""
    return settled(assessment, bank)


def example_assessment(bank: QuestionBank, *, year: int | None = None) -> Assessment:
    """A clearly fictional area with plausible answers, so a newcomer sees results at once.

    Strong on police and probation, weak on mental health, alcohol, housing and the prison (partners a 2011
    Home Office survey, quoted in the briefing, found many areas could involve much more), with a few
    'Don't know' answers as evidence gaps.
    """
    rng = random.Random(2012)  # fixed seed: the example is the same every time
    answers: dict[str, StatementAnswer] = {}
    leaning = {1: 3, 2: 2, 3: 2, 4: 3, 5: 3, 6: 1}
    for principle, statement in bank.statements():
        roll = rng.random()
        if roll < 0.08:
            answers[statement.id] = StatementAnswer(choice="dont_know")
            continue
        level = max(0, min(4, leaning[principle.number] + rng.choice((-1, 0, 0, 1))))
        answers[statement.id] = StatementAnswer(
            choice=str(level),  # type: ignore[arg-type]
            evidence="Example note: " + statement.evidence[0].rstrip(".") + ".",
        )
    strong = {"police": "yes", "probation": "yes", "local_authority": "yes", "drug_treatment": "partly"}
    weak = {"mental_health": "no", "alcohol_treatment": "no", "housing": "partly", "prison": "no"}
    partner_answers: dict[str, dict[str, str]] = {}
    for partner in bank.partners.partners:
        base = strong.get(partner.id) or weak.get(partner.id) or rng.choice(("yes", "partly", "no", "dont_know"))
        row = {}
        for indicator in bank.partners.indicators:
            value = base
            if partner.id in strong and indicator.level == "operational" and rng.random() < 0.2:
                value = "partly"
            if partner.id == "housing" and indicator.level == "strategic":
                value = "no"
            row[indicator.id] = value
        partner_answers[partner.id] = row
    return Assessment(
        area=EXAMPLE_AREA,
        year=year or now().year,
        bank_version=bank.version,
        is_example=True,
        answers=answers,
        partner_answers=partner_answers,
    )


def create_example(store: Store, bank: QuestionBank, *, actor: User = LOCAL_USER) -> Assessment:
    """Open the fictional example area, creating it only if there is none: one Exampleshire, however often asked."""
    authorise(store, actor, "read")
    if not actor.has_role:
        raise AccessDenied()
    for summary in store.list():
        if summary.is_example and summary.area == EXAMPLE_AREA:
            return store.get(summary.id)
    return store.create(example_assessment(bank), audit=_audit(actor, "example"))


class ImportWouldReplace(AlreadyExists):
    """An uploaded assessment is for an area and year already saved: the user chooses to replace it or keep both."""

    def __init__(self, existing: list[AssessmentSummary]) -> None:
        super().__init__(existing)
        first = existing[0]
        self.args = (
            f"There is already an assessment for {first.area} {first.year}. "
            "Choose whether the uploaded one replaces it, or keep both.",
        )


def read_upload(bank: QuestionBank, data: bytes, *, filename: str = "") -> ImportedAssessment:
    """Check and read an uploaded .xlsx workbook or .json export; saves nothing."""
    if filename.lower().endswith(".json"):
        return read_json(bank, data)
    return read_workbook(bank, data, filename=filename)


def save_import(
    store: Store,
    imported: ImportedAssessment,
    *,
    replace_id: str | None = None,
    keep_both: bool = False,
    actor: User = LOCAL_USER,
) -> Assessment:
    """Save an imported assessment in one transaction, never overwriting one silently.

    With ``replace_id`` the saved assessment of that id is replaced, keeping its id so links to it still work;
    with ``keep_both`` it is saved beside the existing one. Otherwise an existing area and year raises
    ``ImportWouldReplace``, carrying the existing assessments so the page can ask.
    """
    assessment = imported.assessment
    authorise(store, actor, "manage", area_name=assessment.area)
    if assessment.previous_id and not store.exists(assessment.previous_id):
        assessment = assessment.model_copy(update={"previous_id": None})
    if replace_id is not None:
        if not store.exists(replace_id):
            raise AssessmentError("The assessment to replace no longer exists. Upload the file again.")
        authorise(store, actor, "manage", assessment=store.get(replace_id))
        return store.replace(
            replace_id,
            assessment.model_copy(update={"id": replace_id}),
            audit=_audit(actor, "replace", detail={"file": imported.kind}),
        )
    existing = readable(store, store.find(assessment.area, assessment.year), actor=actor)
    if existing and not keep_both:
        raise ImportWouldReplace(existing)
    return store.create(assessment, audit=_audit(actor, "import", detail={"file": imported.kind}))


# ---- adding many returns at once ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one uploaded file: imported, skipped as already saved, or refused with the reasons."""

    filename: str
    status: str  # "imported", "skipped" or "refused"
    message: str
    assessment_id: str | None = None
    notes: tuple[str, ...] = ()
    bank_version: str = ""  # the question bank version the file was made on, '+local' kept


UNEXPECTED_FAULT = (
    "Not imported: the app could not read this file because of a fault of its own. Nothing from it was saved, "
    "and the other files were not affected. Upload it on the Start page to try again, or tell the service team."
)


def import_returns(
    store: Store, bank: QuestionBank, files: Iterable[tuple[str, bytes]], *, actor: User = LOCAL_USER
) -> list[ImportOutcome]:
    """Check and save each uploaded return on its own; a bad file never stops the others.

    A return for an area and year already saved is not imported (a comparison must not count an area twice);
    the saved assessment is the one compared, and the outcome says so.
    """

    def one(filename: str, data: bytes) -> ImportOutcome:
        imported = read_upload(bank, data, filename=filename)
        try:
            saved = save_import(store, imported, actor=actor)
        except ImportWouldReplace as error:
            first = error.existing[0]
            return ImportOutcome(
                filename,
                "skipped",
                f"Not imported: an assessment for {first.area} {first.year} is already saved "
                f"(last saved {first.updated_at:%d %b %Y}), and that one is compared instead. To replace it "
                "with this file, upload the file on the Start page.",
                assessment_id=first.id,
            )
        return ImportOutcome(
            filename,
            "imported",
            f"Imported {saved.title}.",
            assessment_id=saved.id,
            notes=(*imported.changes, *imported.warnings),
            bank_version=imported.made_on,
        )

    return [_each_on_its_own(filename, data, one) for filename, data in files]


def _each_on_its_own(filename: str, data: bytes, work: Callable[[str, bytes], ImportOutcome]) -> ImportOutcome:
    """One file's outcome: refused with the reason when it has problems; a fault while reading one file must not
    stop the others or hide what became of them."""
    try:
        return work(filename, data)
    except AssessmentError as error:
        return ImportOutcome(filename, "refused", str(error))
    except Exception:
        logger.exception("Reading %s failed", filename)
        return ImportOutcome(filename, "refused", UNEXPECTED_FAULT)


def add_agency_returns(
    store: Store,
    bank: QuestionBank,
    assessment_id: str,
    files: Iterable[tuple[str, bytes]],
    *,
    actor: User = LOCAL_USER,
) -> list[ImportOutcome]:
    """Add several agencies' filled-in templates (or reports that hold respondents) to one saved assessment.

    Each file is checked and added on its own (``add_returns``); a file with problems changes nothing and does not
    stop the others. A template that names no agency is the board's own answers, so it is not added here.
    """

    def one(filename: str, data: bytes) -> ImportOutcome:
        imported = read_upload(bank, data, filename=filename)
        if not imported.assessment.respondents:
            raise AssessmentError(
                "This template names no agency, so its answers are the board's, not one agency's. Choose the "
                "agency under 'Who is answering' on its Area details sheet and upload it again."
            )
        saved = add_returns(store, bank, assessment_id, imported, actor=actor)
        names = ", ".join(agency_label(bank, r) for r in imported.assessment.respondents)
        return ImportOutcome(
            filename,
            "imported",
            f"Added the answers of {names}.",
            assessment_id=saved.id,
            notes=(*imported.changes, *imported.warnings),
        )

    return [_each_on_its_own(filename, data, one) for filename, data in files]


def import_summary(outcomes: list[ImportOutcome]) -> str:
    """One line first, before the details: '41 imported, 2 refused'."""
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in ("imported", "skipped", "refused")}
    words = {"imported": "imported", "skipped": "already saved", "refused": "refused"}
    return ", ".join(f"{count} {words[status]}" for status, count in counts.items() if count) or "No files"


def provenance_of(outcomes: list[ImportOutcome]) -> dict[str, Provenance]:
    """Each imported return's file, own bank version and import notes, by the id it was saved under."""
    return {
        o.assessment_id: Provenance(o.filename, o.bank_version, o.notes)
        for o in outcomes
        if o.status == "imported" and o.assessment_id
    }


def compare_saved(
    store: Store,
    bank: QuestionBank,
    assessment_ids: Iterable[str],
    *,
    provenance: dict[str, Provenance] | None = None,
    choose: dict[tuple[str, int], str] | None = None,
    confirmed: dict[str, str] | None = None,
    actor: User = LOCAL_USER,
) -> Comparison:
    """The comparison of saved assessments: the one place the Compare page reads them (so access checks go here).

    A saved assessment brought up from an older bank keeps the version it was made on, from its bank update.
    """
    provenance = dict(provenance or {})
    assessments = []
    for assessment_id in dict.fromkeys(assessment_ids):
        assessment = get_assessment(store, assessment_id, actor=actor)
        assessments.append(assessment)
        if assessment_id not in provenance and (update := store.bank_update(assessment_id)) is not None:
            provenance[assessment_id] = Provenance("", update.from_version, update.changes)
    return compare(bank, assessments, provenance=provenance, choose=choose, confirmed=confirmed)


# ---- areas and memberships (the Admin page and `python -m assessment users`) ----------------------------------


def signed_in(store: Store, *, email: str, name: str = "") -> User:
    """The person the identity provider has vouched for, with their roles; remembered for the Admin page."""
    book = directory(store)
    book.record_sign_in(email, name)
    return book.user(email, name)


def who(store: Store, *, email: str, name: str = "") -> User:
    """The signed-in person with their roles as they stand now (an admin may have changed them)."""
    return directory(store).user(email, name)


def admins(store: Store) -> list[str]:
    """The admins' emails: a person with no role is told whom to ask."""
    return sorted({m.email for m in directory(store).memberships() if m.role == "admin"})


def list_areas(store: Store, *, actor: User) -> list[Area]:
    authorise(store, actor, "administer")
    return directory(store).areas()


def add_area(store: Store, *, actor: User, name: str, region: str = "") -> Area:
    authorise(store, actor, "administer")
    return directory(store).add_area(name, region=region)


def change_area(store: Store, *, actor: User, code: str, name: str | None = None, region: str | None = None) -> Area:
    """Rename an area or set its region: its code, assessments and memberships stay with it."""
    authorise(store, actor, "administer")
    return directory(store).change_area(code, name=name, region=region)


def list_members(store: Store, *, actor: User) -> list[Membership]:
    authorise(store, actor, "administer")
    return directory(store).memberships()


def add_member(
    store: Store, *, actor: User, email: str, role: str, area: str | None = None, region: str | None = None
) -> Membership:
    """Give a person a role: ``area`` is an area's name or code (the command line creates a new one)."""
    authorise(store, actor, "administer")
    book = directory(store)
    code = None
    if area:
        try:
            code = book.find_area(area).code
        except AssessmentError:
            if not actor.operator:
                raise
            code = book.add_area(area).code
    if role not in ("admin", "coordinator", "contributor", "inspector"):
        raise AssessmentError("Choose one of the roles: admin, coordinator, contributor or inspector.")
    return book.add_membership(
        Membership(email=email, role=role, area_code=code, region=region or None),  # type: ignore[arg-type]
        by=actor.label,
    )


def remove_member(store: Store, *, actor: User, email: str, role: str | None = None, area: str | None = None) -> int:
    """Take away a person's roles (all, or one role, or their role in one area); returns how many went.

    The last admin cannot be removed from the Admin page, so the service is never left without one.
    """
    authorise(store, actor, "administer")
    book = directory(store)
    code = book.find_area(area).code if area else None
    gone = [
        m for m in book.memberships(email) if (role is None or m.role == role) and (code is None or m.area_code == code)
    ]
    if not actor.operator and any(m.role == "admin" for m in gone) and book.count_admins() <= 1:
        raise AssessmentError("This is the last admin. Make someone else an admin first.")
    return book.remove_memberships(email, role=role, area_code=code)
