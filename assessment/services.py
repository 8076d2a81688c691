"""Use cases the pages and the command line call: start, resume, answer, and the example area."""

from __future__ import annotations

import random

from assessment.model import (
    Assessment,
    AssessmentError,
    Choice,
    PartnerChoice,
    StatementAnswer,
    now,
)
from assessment.store import AssessmentSummary, Store
from questions.models import QuestionBank

EXAMPLE_AREA = "Exampleshire (fictional example)"


class AlreadyExists(AssessmentError):
    """An assessment for this area and year is already saved."""

    def __init__(self, existing: list[AssessmentSummary]) -> None:
        self.existing = existing
        first = existing[0]
        super().__init__(
            f"There is already an assessment for {first.area} {first.year}. Resume it, or choose to start another."
        )


def start_assessment(
    store: Store, bank: QuestionBank, *, area: str, year: int, allow_duplicate: bool = False
) -> Assessment:
    """Create an empty assessment for an area and year, refusing a silent duplicate."""
    area = " ".join(area.split())
    if not area:
        raise AssessmentError("Enter the name of your area, for example 'Northshire'.")
    if not 2000 <= year <= 2100:
        raise AssessmentError("Enter the year as four digits, for example 2026.")
    existing = store.find(area, year)
    if existing and not allow_duplicate:
        raise AlreadyExists(existing)
    return store.create(Assessment(area=area, year=year, bank_version=bank.version))


def answer_statement(
    store: Store,
    assessment: Assessment,
    statement_id: str,
    *,
    choice: Choice | object | None = ...,
    evidence: str | None = None,
    na_reason: str | None = None,
) -> StatementAnswer:
    """Change part of one answer, save it at once, and keep the assessment in memory in step."""
    current = assessment.answer(statement_id)
    changes: dict[str, object] = {}
    if choice is not ...:
        changes["choice"] = choice
    if evidence is not None:
        changes["evidence"] = evidence.strip()
    if na_reason is not None:
        changes["na_reason"] = na_reason.strip()
    updated = StatementAnswer.model_validate({**current.model_dump(), **changes})
    assessment.updated_at = store.save_answer(assessment.id, statement_id, updated)
    if updated.is_empty:
        assessment.answers.pop(statement_id, None)
    else:
        assessment.answers[statement_id] = updated
    return updated


def answer_partner(
    store: Store, assessment: Assessment, partner_id: str, indicator_id: str, value: PartnerChoice | None
) -> None:
    assessment.updated_at = store.save_partner_answer(assessment.id, partner_id, indicator_id, value)
    row = assessment.partner_answers.setdefault(partner_id, {})
    if value is None:
        row.pop(indicator_id, None)
    else:
        row[indicator_id] = value


def set_target(store: Store, assessment: Assessment, principle_number: int, level: int) -> None:
    targets = {**assessment.targets, principle_number: level}
    assessment.updated_at = store.save_targets(assessment.id, targets)
    assessment.targets = targets


def example_assessment(bank: QuestionBank, *, year: int | None = None) -> Assessment:
    """A clearly fictional area with plausible answers, so a newcomer sees results at once.

    Strong on police and probation, weak on mental health, alcohol, housing and the prison
    (the gaps the briefing says are common), with a few 'Don't know' answers as evidence gaps.
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


def create_example(store: Store, bank: QuestionBank) -> Assessment:
    return store.create(example_assessment(bank))
