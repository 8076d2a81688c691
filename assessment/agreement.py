"""Agreeing the partnership's position from each agency's answers: the published rule, as pure functions.

Each respondent (one person answering for one agency) answers on their own. For each statement the proposed
answer is the median of the respondents' levels; with an even number of levels, the lower of the two middle
ones, so a board is never told it is better than half its partners say. 'Don't know' and 'Not applicable' are
counted but not scored. A statement is flagged for discussion when the levels differ by two or more, or when
one agency says 'Don't know' while another gives a level. The coordinator accepts the proposal or sets the
agreed answer with a reason; until then the scorecard uses the proposal and marks it "not yet agreed".

Partner coverage answers are proposed by the same rule (No, Partly, Yes in that order; 'Don't know' counted
but not scored). ``agreement_steps`` is the published text; the functions below do exactly what it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessment.model import (
    AGENCY_OTHER,
    LEVEL_CHOICES,
    MAX_NOTE,
    Agreed,
    Assessment,
    Choice,
    PartnerChoice,
    Respondent,
    StatementAnswer,
)
from assessment.wording import DONT_KNOW, NOT_APPLICABLE
from questions.models import QuestionBank, Statement

FLAG_SPREAD = 2  # levels this far apart, or more, flag a statement for discussion
# Partner answers in order, lowest first, for the median; 'dont_know' is counted but not scored (as in scoring).
PARTNER_ORDER: tuple[PartnerChoice, ...] = ("no", "partly", "yes")
NOT_YET_AGREED = "not yet agreed"


def lower_median(values: Sequence[int]) -> int | None:
    """The middle value; of an even number, the lower of the two middle ones. None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def levels_of(choices: Iterable[Choice | None]) -> list[int]:
    return [int(c) for c in choices if c in LEVEL_CHOICES]


def propose(choices: Iterable[Choice | None]) -> Choice | None:
    """The proposed answer from the respondents' answers to one statement.

    The lower median of the levels given; with no level, 'Don't know' if anyone said so, else 'Not applicable'
    if anyone said so; with no answer at all, none.
    """
    choices = list(choices)
    level = lower_median(levels_of(choices))
    if level is not None:
        return str(level)  # type: ignore[return-value]
    if "dont_know" in choices:
        return "dont_know"
    if "not_applicable" in choices:
        return "not_applicable"
    return None


def flag_reasons(choices: Iterable[Choice | None]) -> list[str]:
    """Why a statement is flagged for discussion (none: not flagged)."""
    choices = list(choices)
    levels = levels_of(choices)
    reasons = []
    if levels and max(levels) - min(levels) >= FLAG_SPREAD:
        reasons.append(f"levels differ by {max(levels) - min(levels)}")
    if levels and "dont_know" in choices:
        reasons.append(f"one says {DONT_KNOW} while another gives a level")
    return reasons


def is_flagged(choices: Iterable[Choice | None]) -> bool:
    return bool(flag_reasons(choices))


def spread(choices: Iterable[Choice | None]) -> int:
    """How far apart the levels are (0 with fewer than two)."""
    levels = levels_of(choices)
    return max(levels) - min(levels) if levels else 0


def propose_partner(values: Iterable[PartnerChoice | None]) -> PartnerChoice | None:
    """The proposed partner answer: the lower median of No, Partly, Yes; else 'Don't know' if anyone said so."""
    values = list(values)
    rank = lower_median([PARTNER_ORDER.index(v) for v in values if v in PARTNER_ORDER])
    if rank is not None:
        return PARTNER_ORDER[rank]
    return "dont_know" if "dont_know" in values else None


# ---- respondents ----------------------------------------------------------------------------------------------


def agency_label(bank: QuestionBank, respondent: Respondent) -> str:
    """The agency in words: the partner's name in the bank, or the name given for another agency."""
    if respondent.agency == AGENCY_OTHER:
        return respondent.agency_name
    try:
        return bank.partner(respondent.agency).name
    except KeyError:
        return respondent.agency_name or respondent.agency


def respondent_label(bank: QuestionBank, respondent: Respondent) -> str:
    """'Probation (Sam Jones)': the agency, and the person when named."""
    agency = agency_label(bank, respondent)
    who = respondent.name or respondent.user
    return f"{agency} ({who})" if who else agency


def as_assessment(assessment: Assessment, respondent: Respondent) -> Assessment:
    """One respondent's answers as an assessment of their own, to score them by the published method."""
    return Assessment(
        id=assessment.id,
        area=assessment.area,
        year=assessment.year,
        bank_version=assessment.bank_version,
        answers=respondent.answers,
        partner_answers=respondent.partner_answers,
        targets=assessment.targets,
    )


# ---- the position: agreed where agreed, else proposed ----------------------------------------------------------


def _joined(bank: QuestionBank | None, texts: list[tuple[Respondent, str]]) -> str:
    if not texts:
        return ""
    if len(texts) == 1:
        return texts[0][1]
    lines = [f"{respondent_label(bank, r) if bank else r.agency_name or r.agency}: {text}" for r, text in texts]
    joined = "\n".join(lines)
    return joined if len(joined) <= MAX_NOTE else joined[: MAX_NOTE - 1] + "…"


def position_answer(assessment: Assessment, statement_id: str, bank: QuestionBank | None = None) -> StatementAnswer:
    """The partnership's answer to one statement: the agreed answer, else the proposal from the respondents.

    With one respondent and nothing agreed, it is their answer exactly, so one respondent scores as today.
    Evidence notes of several respondents are kept together, each with its agency.
    """
    given = [(r, r.answers[statement_id]) for r in assessment.respondents if statement_id in r.answers]
    given = [(r, a) for r, a in given if not a.is_empty]
    agreed = assessment.agreed.get(statement_id)
    if agreed is None and len(given) == 1:
        return given[0][1]
    evidence = _joined(bank, [(r, a.evidence) for r, a in given if a.evidence])
    reasons = _joined(bank, [(r, a.na_reason) for r, a in given if a.choice == "not_applicable" and a.na_reason])
    if agreed is not None:
        return StatementAnswer(
            choice=agreed.choice,
            evidence=evidence,
            na_reason=(agreed.reason or reasons) if agreed.choice == "not_applicable" else "",
        )
    choice = propose(a.choice for _, a in given)
    return StatementAnswer(choice=choice, evidence=evidence, na_reason=reasons if choice == "not_applicable" else "")


def position_partner(assessment: Assessment, partner_id: str, indicator_id: str) -> PartnerChoice | None:
    return propose_partner(r.partner_answer(partner_id, indicator_id) for r in assessment.respondents)


def settled(assessment: Assessment, bank: QuestionBank | None = None) -> Assessment:
    """The assessment with its answers set to the partnership's position; unchanged when nobody answers separately."""
    if not assessment.respondents:
        return assessment
    statement_ids = {sid for r in assessment.respondents for sid in r.answers} | set(assessment.agreed)
    answers = {sid: position_answer(assessment, sid, bank) for sid in sorted(statement_ids)}
    keys = {(p, i) for r in assessment.respondents for p, row in r.partner_answers.items() for i in row}
    partner_answers: dict[str, dict[str, PartnerChoice]] = {}
    for partner_id, indicator_id in sorted(keys):
        value = position_partner(assessment, partner_id, indicator_id)
        if value is not None:
            partner_answers.setdefault(partner_id, {})[indicator_id] = value
    return assessment.model_copy(
        update={"answers": {k: v for k, v in answers.items() if not v.is_empty}, "partner_answers": partner_answers}
    )


# ---- what the Agree the position page and the Agreement sheet show ---------------------------------------------


@dataclass(frozen=True)
class StatementAgreement:
    """One statement as the coordinator sees it: each respondent's answer, the proposal, the flag and the decision."""

    statement: Statement
    number: str  # '1.3'
    answers: tuple[tuple[Respondent, StatementAnswer], ...]
    proposed: Choice | None
    flags: tuple[str, ...]
    agreed: Agreed | None

    @property
    def choices(self) -> list[Choice | None]:
        return [a.choice for _, a in self.answers]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def spread(self) -> int:
        return spread(self.choices)

    @property
    def position(self) -> Choice | None:
        return self.agreed.choice if self.agreed else self.proposed

    def count(self, choice: Choice | None) -> int:
        return sum(1 for c in self.choices if c == choice)


def statement_agreements(bank: QuestionBank, assessment: Assessment) -> list[StatementAgreement]:
    """Every statement of the bank, in order, with its respondents' answers, proposal, flag and agreed answer."""
    rows = []
    for principle in bank.principles:
        for number, statement in enumerate(principle.statements, start=1):
            answers = tuple((r, r.answer(statement.id)) for r in assessment.respondents)
            choices = [a.choice for _, a in answers]
            rows.append(
                StatementAgreement(
                    statement=statement,
                    number=f"{principle.number}.{number}",
                    answers=answers,
                    proposed=propose(choices),
                    flags=tuple(flag_reasons(choices)),
                    agreed=assessment.agreed.get(statement.id),
                )
            )
    return rows


def most_different(rows: Sequence[StatementAgreement], count: int = 5) -> list[StatementAgreement]:
    """'Where partners see it most differently': flagged statements, widest spread of levels first."""
    flagged = [r for r in rows if r.flagged]
    return sorted(flagged, key=lambda r: (-r.spread, -len(r.flags), r.number))[:count]


def not_yet_agreed(bank: QuestionBank, assessment: Assessment) -> set[str]:
    """Statements whose answer is the proposal, not an agreed answer (none when nobody answers separately)."""
    if not assessment.respondents:
        return set()
    return {s.id for _, s in bank.statements() if s.id not in assessment.agreed}


# ---- the published rule and its worked example -------------------------------------------------------------------

# The worked example: four agencies' answers to one statement (computed by the functions above on the page).
EXAMPLE_ANSWERS: tuple[tuple[str, Choice], ...] = (
    ("Police", "3"),
    ("Probation", "2"),
    ("Housing", "1"),
    ("Health", "dont_know"),
)


def agreement_steps() -> tuple[str, ...]:
    """The rule for agreeing the partnership's answer from several agencies' answers, as published."""
    return (
        "Each agency's respondent answers every statement on their own. Their answers are kept apart from "
        "each other and from the partnership's agreed answers.",
        "The proposed level of a statement is the median of the levels the respondents give. With an even number "
        "of levels it is the lower of the two middle levels, so a board is never told it is better than half its "
        "partners say.",
        f"'{DONT_KNOW}' and '{NOT_APPLICABLE}' are counted but not scored. If nobody gives a level, the proposal is "
        f"'{DONT_KNOW}' when anyone says so, otherwise '{NOT_APPLICABLE}'.",
        f"A statement is flagged for discussion when the levels differ by {FLAG_SPREAD} or more, or when one agency "
        f"says '{DONT_KNOW}' while another gives a level.",
        "The coordinator accepts the proposed level or sets the agreed level with a reason, which is kept. The "
        "scores use the agreed answers; a statement not yet agreed uses its proposed level and is marked "
        f"'{NOT_YET_AGREED}'.",
        "Partner coverage answers are proposed by the same rule, in the order No, Partly, Yes; "
        f"'{DONT_KNOW}' is counted but not scored.",
    )


def worked_agreement() -> list[str]:
    """The worked example of the rule, computed by ``propose`` and ``flag_reasons``."""
    choices = [choice for _, choice in EXAMPLE_ANSWERS]
    levels = sorted(levels_of(choices))
    words = ", ".join(f"{agency} {DONT_KNOW if c == 'dont_know' else c}" for agency, c in EXAMPLE_ANSWERS)
    proposed = propose(choices)
    reasons = flag_reasons(choices)
    fewer = choices[:2]
    return [
        f"Four agencies answer one statement: {words}.",
        f"The levels, in order, are {', '.join(map(str, levels))}; '{DONT_KNOW}' is counted but not scored. "
        f"The middle level is {proposed}, so the proposed level is {proposed}.",
        f"It is flagged for discussion: {' and '.join(reasons)}.",
        f"Had only {EXAMPLE_ANSWERS[0][0]} ({fewer[0]}) and {EXAMPLE_ANSWERS[1][0]} ({fewer[1]}) answered, the two "
        f"middle levels would be {min(levels_of(fewer))} and {max(levels_of(fewer))}: the proposal is the lower, "
        f"{propose(fewer)}, and it is not flagged, because the levels differ by {spread(fewer)}.",
    ]
