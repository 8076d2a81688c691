"""An assessment as JSON, and the scorecard as JSON: so no board is locked in and inspectors can script.

The file is the pydantic ``Assessment`` inside a small envelope with a format name and version.
Reading checks the envelope, the model and every id against the question bank before anything is kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessment import tables
from assessment.agreement import settled
from assessment.audit import Change
from assessment.files.imported import ImportedAssessment, ImportProblems, refuse_newer, version_relation
from assessment.files.safety import UploadRefused, check_size
from assessment.free_text import removed_note
from assessment.migration import can_migrate, migrate, migrate_partnership
from assessment.model import AGENCY_OTHER, Assessment, new_id, now
from assessment.privacy import mask_assessment
from assessment.scoring import Scorecard
from questions.models import QuestionBank

FORMAT_NAME = "iom-self-assessment"
# Version 2 adds the assessment's history (the audit trail); version 3 each agency's own answers, the agreed answers
# and the inspector's moderation (issue 10). Versions 1 and 2 are still read.
FORMAT_VERSION = 3

# Limits applied while parsing and before validation: far above any real export (an assessment has a few dozen
# answers and objects), far below what would strain the server.
MAX_JSON_VALUES = 100_000
MAX_JSON_OBJECTS = 5_000
MAX_ANSWERS = 1_000
MAX_PARTNERS = 100
MAX_ACTIONS = 1_000
MAX_RESPONDENTS = 200
MAX_NUMBER_CHARACTERS = 40


class AssessmentFile(BaseModel):
    """The JSON file: what it is, which version of the format, the assessment and its history of changes."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["iom-self-assessment"] = FORMAT_NAME
    format_version: int = Field(default=FORMAT_VERSION, ge=1)
    exported_at: datetime = Field(default_factory=now)
    assessment: Assessment
    history: list[Change] = Field(default_factory=list, description="who changed what kind of thing, and when")


def export_json(assessment: Assessment, history: Sequence[Change] = ()) -> str:
    """The file, with any free text that looks like personal data masked (``privacy.mask_assessment``), and the
    assessment's history of changes (which never holds a note's text)."""
    return AssessmentFile(assessment=mask_assessment(assessment).assessment, history=list(history)).model_dump_json(
        indent=2
    )


def read_json(bank: QuestionBank, data: bytes) -> ImportedAssessment:
    """Check and read an exported JSON file; raises ``UploadRefused`` or ``ImportProblems``, never saves.

    The size and count limits apply while the file is parsed and before the model sees it, so a crafted file
    cannot make the app build millions of objects, or convert a number thousands of digits long.
    """
    check_size(len(data))
    raw = _parse(data)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise UploadRefused("The file is JSON but not an assessment exported by the IOM self-assessment app.")
    version = raw.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise UploadRefused(
            f"The file uses format version {version}, newer than this app reads ({FORMAT_VERSION}). Update the app."
        )
    notes = _check_counts(raw.get("assessment"))
    try:
        envelope = AssessmentFile.model_validate(raw)
    except ValidationError as error:
        raise ImportProblems(
            [f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()], what="JSON file"
        ) from None
    found = envelope.assessment
    relation = version_relation(found.bank_version, bank.version)
    if relation == "newer":
        refuse_newer(found.bank_version, bank, "file")
    problems: list[str] = []
    changes: list[str] = [*notes]
    migrating = relation == "older"
    if migrating:
        changes.append(
            f"The file was made for question bank version {found.bank_version}; it was brought up to version "
            f"{bank.version}, matching statements by their reference."
        )

    def unknown(message: str) -> None:
        (changes if migrating else problems).append(message)

    answers = {}
    plan = dict(found.plan)
    if migrating and can_migrate(found.bank_version, bank):
        # The mapping kept for that version moves each answer to its new statement and says what changed.
        migrated = migrate(bank, found.bank_version, found.answers, found.plan, partner_ids=set(found.partner_answers))
        answers, plan = migrated.answers, migrated.plan
        # Each agency's own answers, the agreed answers and the inspector's statements follow their statements.
        partnership = migrate_partnership(bank, found.bank_version, found.respondents, found.agreed, found.moderation)
        found = found.model_copy(
            update={
                "respondents": partnership.respondents,
                "agreed": partnership.agreed,
                "moderation": partnership.moderation,
            }
        )
        changes[:] = [*migrated.changes, *partnership.changes]
    else:
        for statement_id, answer in found.answers.items():
            if bank.has_statement(statement_id):
                answers[statement_id] = answer
            else:
                unknown(f"assessment.answers.{statement_id}: not a statement of question bank {bank.version}")
    partners = {p.id for p in bank.partners.partners}
    indicators = {i.id for i in bank.partners.indicators}
    partner_answers: dict[str, dict[str, str]] = {}
    for partner_id, row in found.partner_answers.items():
        if partner_id not in partners:
            unknown(f"assessment.partner_answers.{partner_id}: not a partner of question bank {bank.version}")
            continue
        for indicator_id, value in row.items():
            if indicator_id in indicators:
                partner_answers.setdefault(partner_id, {})[indicator_id] = value
            else:
                unknown(f"assessment.partner_answers.{partner_id}.{indicator_id}: not a partner question")
    for action_id, edit in plan.items():
        if edit.action_id != action_id:
            problems.append(f"assessment.plan.{action_id}: the action_id inside is {edit.action_id!r}")
        if edit.partner_id is not None and edit.partner_id not in partners:
            problems.append(f"assessment.plan.{action_id}.partner_id: {edit.partner_id!r} is not a partner")
    respondents, agreed, moderation = _partnership(bank, found, unknown, problems)
    if problems:
        raise ImportProblems(problems, what="JSON file")
    stamp = now()
    assessment = found.model_copy(
        update={
            "id": new_id(),
            "bank_version": bank.version,
            "created_at": stamp,
            "updated_at": stamp,
            "is_example": False,
            "answers": answers,
            "partner_answers": partner_answers,
            "plan": plan,
            "respondents": respondents,
            "agreed": agreed,
            "moderation": moderation,
        }
    )
    assessment = settled(Assessment.model_validate(assessment.model_dump()), bank)
    return ImportedAssessment(assessment, "json", (), tuple(changes), found.bank_version)


def _partnership(bank: QuestionBank, found: Assessment, unknown, problems: list[str]) -> tuple[list, dict, list]:
    """Each agency's answers, the agreed answers and the moderation, with every id checked against the bank."""
    partners = {p.id for p in bank.partners.partners}
    indicators = {i.id for i in bank.partners.indicators}
    respondents = []
    seen: set[str] = set()
    for n, respondent in enumerate(found.respondents):
        where = f"assessment.respondents.{n}"
        if respondent.id in seen:
            problems.append(f"{where}.id: {respondent.id!r} is given to two respondents")
        seen.add(respondent.id)
        if respondent.agency != AGENCY_OTHER and respondent.agency not in partners:
            problems.append(f"{where}.agency: {respondent.agency!r} is not a partner of question bank {bank.version}")
        answers = {}
        for statement_id, answer in respondent.answers.items():
            if bank.has_statement(statement_id):
                answers[statement_id] = answer
            else:
                unknown(f"{where}.answers.{statement_id}: not a statement of question bank {bank.version}")
        grid: dict[str, dict[str, str]] = {}
        for partner_id, row in respondent.partner_answers.items():
            for indicator_id, value in row.items():
                if partner_id in partners and indicator_id in indicators:
                    grid.setdefault(partner_id, {})[indicator_id] = value
                else:
                    unknown(f"{where}.partner_answers.{partner_id}.{indicator_id}: not a partner question")
        respondents.append(respondent.model_copy(update={"answers": answers, "partner_answers": grid}))
    agreed = {}
    for statement_id, decision in found.agreed.items():
        if bank.has_statement(statement_id):
            agreed[statement_id] = decision
        else:
            unknown(f"assessment.agreed.{statement_id}: not a statement of question bank {bank.version}")
    moderation = []
    for n, item in enumerate(found.moderation):
        if item.statement_id and (
            not bank.has_statement(item.statement_id) or bank.principle_of(item.statement_id).number != item.principle
        ):
            unknown(f"assessment.moderation.{n}.statement_id: not a statement of principle {item.principle}")
            continue
        moderation.append(item)
    return respondents, agreed, moderation


class _TooLarge(Exception):
    """Raised from inside the JSON parser to stop it as soon as the file holds more than any export could."""


def _parse(data: bytes) -> Any:
    # Every value after the first in an object or a list follows a comma: so the commas bound how much the parser
    # would build, counted before it builds anything. Commas in notes count too, which only errs on the safe side.
    if data.count(b",") > MAX_JSON_VALUES:
        raise UploadRefused(
            f"The file holds more than {MAX_JSON_VALUES:,} values, far more than any assessment has, so it was "
            "refused. Upload a .json file exported by the app."
        )
    objects = 0

    def counted_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal objects
        objects += 1
        if objects > MAX_JSON_OBJECTS:
            raise _TooLarge
        return dict(pairs)

    def bounded_number(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARACTERS:
            raise UploadRefused(
                f"The file holds a number {len(text):,} characters long; no number in an export has more than "
                f"{MAX_NUMBER_CHARACTERS}. Upload a .json file exported by the app."
            )
        return float(text) if any(c in text for c in ".eE") else int(text)

    def no_constant(name: str) -> None:
        raise UploadRefused(f"The file holds {name}, which is not a number an export holds. Upload the file again.")

    try:
        text = data.decode("utf-8-sig")
        return json.loads(
            text,
            object_pairs_hook=counted_object,
            parse_int=bounded_number,
            parse_float=bounded_number,
            parse_constant=no_constant,
        )
    except _TooLarge:
        raise UploadRefused(
            f"The file holds more than {MAX_JSON_OBJECTS:,} records, far more than any assessment has, so it was "
            "refused. Upload a .json file exported by the app."
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError):  # json.JSONDecodeError is a ValueError
        raise UploadRefused("The file is not valid JSON. Upload a .json file exported by the app.") from None


def _check_counts(found: Any) -> list[str]:
    """Cheap checks on the raw structure before validation: how many answers, partners and actions it holds.

    Returns notes for the user (hidden characters removed from the area's name).
    """
    if not isinstance(found, dict):
        return []
    for name, limit, what in (
        ("answers", MAX_ANSWERS, "statement answers"),
        ("partner_answers", MAX_PARTNERS, "partners"),
        ("plan", MAX_ACTIONS, "actions"),
        ("respondents", MAX_RESPONDENTS, "respondents"),
        ("agreed", MAX_ANSWERS, "agreed answers"),
        ("moderation", MAX_ANSWERS, "moderated levels"),
    ):
        value = found.get(name)
        if isinstance(value, dict | list) and len(value) > limit:
            raise UploadRefused(
                f"assessment.{name}: the file holds {len(value):,} {what}; an assessment has at most {limit:,}. "
                "Upload a .json file exported by the app."
            )
    area = found.get("area")
    note = removed_note(area, what="assessment.area: the name of the area") if isinstance(area, str) else None
    return [note] if note else []


def scorecard_dict(bank: QuestionBank, scorecard: Scorecard) -> dict:
    """The scorecard as plain data, for ``python -m assessment score --json``."""
    return {
        "bank_version": scorecard.bank_version,
        "overall": scorecard.overall,
        "overall_band": tables.band_text(bank, scorecard.overall_band),
        "statements_answered": scorecard.answered_count(),
        "statements": len(scorecard.statement_results()),
        "principles": [
            {
                "number": p.principle.number,
                "name": p.principle.name,
                "score": p.score,
                "band": tables.band_text(bank, p.band),
                "target": p.target,
                "scored": p.scored,
                "applicable": p.applicable,
            }
            for p in scorecard.principles
        ],
        "partners": [
            {
                "id": c.partner.id,
                "name": c.partner.name,
                "strategic": c.strategic,
                "operational": c.operational,
                "involved": c.involved,
            }
            for c in scorecard.partners
        ],
        "evidence_gaps": [r.statement.id for r in scorecard.evidence_gaps()],
    }
