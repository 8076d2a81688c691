"""The answers a board gives: an assessment of one area for one year, and its domain errors.

These models are the one shape of an assessment everywhere: the store, the JSON export and the
Excel import all produce and accept them.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assessment.free_text import clean_line, clean_text
from questions.models import PRINCIPLE_COUNT, PRINCIPLE_NUMBERS

Choice = Literal["0", "1", "2", "3", "4", "dont_know", "not_applicable"]
PartnerChoice = Literal["yes", "partly", "no", "dont_know"]
LEVEL_CHOICES: tuple[Choice, ...] = ("0", "1", "2", "3", "4")
DEFAULT_TARGET = 3
MAX_NOTE = 5000


class AssessmentError(Exception):
    """Something a user did that the product cannot accept; the message says where and what to do."""


class NotFound(AssessmentError):
    """No assessment has that id."""


def new_id() -> str:
    """An unguessable id for an assessment: 128 random bits, safe in a URL."""
    return secrets.token_urlsafe(16)


def now() -> datetime:
    """Microseconds kept: pages recognise a changed assessment by its updated_at, even within one second."""
    return datetime.now(UTC)


class StatementAnswer(BaseModel):
    """The board's answer to one statement."""

    model_config = ConfigDict(extra="forbid")

    choice: Choice | None = None
    evidence: str = Field(default="", max_length=MAX_NOTE)
    na_reason: str = Field(default="", max_length=MAX_NOTE)

    _clean = field_validator("evidence", "na_reason")(clean_text)

    @property
    def level(self) -> int | None:
        return int(self.choice) if self.choice in LEVEL_CHOICES else None

    @property
    def is_empty(self) -> bool:
        return self.choice is None and not self.evidence and not self.na_reason


OWN_PREFIX = "own-"
ActionStatus = Literal["not_started", "in_progress", "done", "dropped"]
ACTION_STATUS_LABELS: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}


class ActionEdit(BaseModel):
    """What the board has recorded against one action of its plan.

    For a generated action ``action_id`` is the plan's stable id for it; for an action the board
    added itself, ``own`` is true and ``what``, ``lead``, ``principle`` and ``partner_id`` describe it.
    """

    model_config = ConfigDict(extra="forbid")

    action_id: str = Field(min_length=1, max_length=120)
    owner: str = Field(default="", max_length=200)
    due: date | None = None
    status: ActionStatus = "not_started"
    dropped_reason: str = Field(default="", max_length=MAX_NOTE)
    notes: str = Field(default="", max_length=MAX_NOTE)
    own: bool = False
    what: str = Field(default="", max_length=MAX_NOTE)
    lead: str = Field(default="", max_length=200)
    principle: int | None = Field(default=None, ge=1, le=PRINCIPLE_COUNT)
    partner_id: str | None = None

    _clean = field_validator("owner", "dropped_reason", "notes", "what", "lead")(clean_text)

    @model_validator(mode="after")
    def _own_ids(self) -> ActionEdit:
        # The board's own actions have ids of their own, so one can never stand in for a suggested action.
        if self.own != self.action_id.startswith(OWN_PREFIX):
            raise ValueError(
                f"an action the board added itself has a reference starting '{OWN_PREFIX}', and only such an action"
            )
        return self


AGENCY_OTHER = "other"  # a respondent's agency that is not one of the bank's partners: named in agency_name
# The answers a board gave together before agencies started answering separately, kept as one more respondent.
BOARD_TOGETHER = "The board, together"


class Respondent(BaseModel):
    """One person answering for one agency (issue 10). Their answers are kept apart from everyone else's and
    from the agreed answers; the partnership's answers are agreed from them (``assessment/agreement.py``)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    name: str = Field(default="", max_length=200, description="optional in local mode")
    agency: str = Field(min_length=1, max_length=60, description="a partner id of the bank, or 'other'")
    agency_name: str = Field(default="", max_length=200, description="the agency's name when it is 'other'")
    role: str = Field(default="", max_length=200)
    user: str = Field(default="", max_length=320, description="the signed-in email, in shared mode")
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    answers: dict[str, StatementAnswer] = Field(default_factory=dict)
    partner_answers: dict[str, dict[str, PartnerChoice]] = Field(default_factory=dict)

    _clean = field_validator("name", "agency_name", "role")(clean_line)

    @model_validator(mode="after")
    def _other_is_named(self) -> Respondent:
        if self.agency == AGENCY_OTHER and not self.agency_name:
            raise ValueError("give the name of the agency (its agency is 'other')")
        return self

    def answer(self, statement_id: str) -> StatementAnswer:
        return self.answers.get(statement_id) or StatementAnswer()

    def partner_answer(self, partner_id: str, indicator_id: str) -> PartnerChoice | None:
        return self.partner_answers.get(partner_id, {}).get(indicator_id)

    @property
    def is_board_together(self) -> bool:
        """The board's answers from before agencies answered separately (``BOARD_TOGETHER``)."""
        return self.agency == AGENCY_OTHER and self.agency_name == BOARD_TOGETHER and not self.user


class Agreed(BaseModel):
    """The partnership's agreed answer to one statement: the proposal accepted, or a level set with a reason."""

    model_config = ConfigDict(extra="forbid")

    choice: Choice
    reason: str = Field(default="", max_length=MAX_NOTE)
    proposed: Choice | None = Field(default=None, description="the proposal when it was agreed")
    by: str = Field(default="", max_length=320, description="who agreed it (empty in local mode)")
    at: datetime = Field(default_factory=now)

    _clean = field_validator("reason")(clean_text)

    @model_validator(mode="after")
    def _reason_when_changed(self) -> Agreed:
        if self.choice != self.proposed and not self.reason.strip():
            raise ValueError("give the reason for agreeing an answer other than the proposed one")
        return self


class Moderation(BaseModel):
    """An inspector's moderated level for a principle, or for one of its statements, with the reason."""

    model_config = ConfigDict(extra="forbid")

    principle: int = Field(ge=1, le=PRINCIPLE_COUNT)
    statement_id: str | None = Field(default=None, max_length=120)
    level: int = Field(ge=0, le=4)
    reason: str = Field(min_length=1, max_length=MAX_NOTE)
    by: str = Field(default="", max_length=320)
    at: datetime = Field(default_factory=now)

    _clean = field_validator("reason")(clean_text)

    @property
    def key(self) -> tuple[int, str]:
        return (self.principle, self.statement_id or "")


class Assessment(BaseModel):
    """One area's self-assessment for one year.

    With no respondents, ``answers`` and ``partner_answers`` are the board's answers, as it gives them. Once
    agencies answer separately (``respondents``), they are the partnership's position, kept in step by
    ``agreement.settled``: the agreed answer where one is agreed, otherwise the proposal from the respondents.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    area: str = Field(min_length=1, max_length=120)
    year: int = Field(ge=2000, le=2100)
    bank_version: str
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    is_example: bool = False
    answers: dict[str, StatementAnswer] = Field(default_factory=dict)
    partner_answers: dict[str, dict[str, PartnerChoice]] = Field(
        default_factory=dict, description="partner id -> indicator id -> answer"
    )
    targets: dict[int, int] = Field(default_factory=dict, description="principle number -> target level")
    plan: dict[str, ActionEdit] = Field(default_factory=dict, description="action id -> the board's edits")
    previous_id: str | None = Field(
        default=None, description="Last year's assessment of the same area, whose plan this one carries forward"
    )
    respondents: list[Respondent] = Field(default_factory=list, description="each agency's own answers")
    agreed: dict[str, Agreed] = Field(default_factory=dict, description="statement id -> the agreed answer")
    moderation: list[Moderation] = Field(default_factory=list, description="the inspector's moderated levels")

    @field_validator("area")
    @classmethod
    def _area_trimmed(cls, value: str) -> str:
        value = clean_line(value)
        if not value:
            raise ValueError("give the name of the area")
        return value

    @field_validator("targets")
    @classmethod
    def _targets_in_range(cls, value: dict[int, int]) -> dict[int, int]:
        for principle, level in value.items():
            if principle not in PRINCIPLE_NUMBERS or level not in range(0, 5):
                raise ValueError(f"a target is a level 0 to 4 for a principle 1 to {PRINCIPLE_COUNT}")
        return value

    def answer(self, statement_id: str) -> StatementAnswer:
        return self.answers.get(statement_id) or StatementAnswer()

    def partner_answer(self, partner_id: str, indicator_id: str) -> PartnerChoice | None:
        return self.partner_answers.get(partner_id, {}).get(indicator_id)

    def target(self, principle_number: int) -> int:
        return self.targets.get(principle_number, DEFAULT_TARGET)

    @property
    def title(self) -> str:
        return f"{self.area} {self.year}"

    def respondent(self, respondent_id: str) -> Respondent:
        for respondent in self.respondents:
            if respondent.id == respondent_id:
                return respondent
        raise NotFound("That person's answers are no longer saved. Choose who is answering again.")

    def moderated(self, principle: int, statement_id: str | None = None) -> Moderation | None:
        key = (principle, statement_id or "")
        return next((m for m in self.moderation if m.key == key), None)
