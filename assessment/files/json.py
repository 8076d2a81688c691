"""An assessment as JSON, and the scorecard as JSON: so no board is locked in and inspectors can script.

The file is the pydantic ``Assessment`` inside a small envelope with a format name and version.
Reading checks the envelope, the model and every id against the question bank before anything is kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessment import tables
from assessment.audit import Change
from assessment.files.imported import ImportedAssessment, ImportProblems, refuse_newer, version_relation
from assessment.files.safety import UploadRefused, check_size
from assessment.model import Assessment, new_id, now
from assessment.scoring import Scorecard
from questions.models import QuestionBank

FORMAT_NAME = "iom-self-assessment"
# Version 2 adds the assessment's history (the audit trail); version 1 files are still read.
FORMAT_VERSION = 2


class AssessmentFile(BaseModel):
    """The JSON file: what it is, which version of the format, the assessment and its history of changes."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["iom-self-assessment"] = FORMAT_NAME
    format_version: int = Field(default=FORMAT_VERSION, ge=1)
    exported_at: datetime = Field(default_factory=now)
    assessment: Assessment
    history: list[Change] = Field(default_factory=list, description="who changed what kind of thing, and when")


def export_json(assessment: Assessment, history: Sequence[Change] = ()) -> str:
    return AssessmentFile(assessment=assessment, history=list(history)).model_dump_json(indent=2)


def read_json(bank: QuestionBank, data: bytes) -> ImportedAssessment:
    """Check and read an exported JSON file; raises ``UploadRefused`` or ``ImportProblems``, never saves."""
    check_size(len(data))
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise UploadRefused("The file is not valid JSON. Upload a .json file exported by the app.") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise UploadRefused("The file is JSON but not an assessment exported by the IOM self-assessment app.")
    version = raw.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise UploadRefused(
            f"The file uses format version {version}, newer than this app reads ({FORMAT_VERSION}). Update the app."
        )
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
    changes: list[str] = []
    migrating = relation == "older"
    if migrating:
        changes.append(
            f"The file was made for question bank version {found.bank_version}; it was brought up to version "
            f"{bank.version}, matching statements by their reference."
        )

    def unknown(message: str) -> None:
        (changes if migrating else problems).append(message)

    answers = {}
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
    for action_id, edit in found.plan.items():
        if edit.action_id != action_id:
            problems.append(f"assessment.plan.{action_id}: the action_id inside is {edit.action_id!r}")
        if edit.partner_id is not None and edit.partner_id not in partners:
            problems.append(f"assessment.plan.{action_id}.partner_id: {edit.partner_id!r} is not a partner")
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
        }
    )
    return ImportedAssessment(Assessment.model_validate(assessment.model_dump()), "json", (), tuple(changes))


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
