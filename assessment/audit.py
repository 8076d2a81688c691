"""The audit trail: who changed an assessment and when, and what kind of change it was.

A change records which fields changed and the new value of a choice (a level, a partner answer, a status,
a date), never the text of a note: a note that held personal data, once removed, must be gone everywhere.
In local mode there is no sign-in, so "who" is "this computer".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assessment.model import ACTION_STATUS_LABELS
from questions.models import QuestionBank

Action = Literal[
    "start",
    "example",
    "import",
    "replace",
    "answer",
    "partner",
    "target",
    "plan",
    "plan-add",
    "plan-remove",
    # issue 10: each agency's own answers, the agreed answers and the inspector's moderation
    "respondent",
    "respondent-answer",
    "respondent-partner",
    "respondent-remove",
    "respondent-change",
    "agree",
    "moderate",
]
# Free text is recorded as changed or cleared, never copied.
FREE_TEXT = frozenset(
    {"evidence", "na_reason", "notes", "owner", "dropped_reason", "what", "lead", "reason", "name", "role"}
)
LOCAL = "this computer"


class Change(BaseModel):
    """One change to an assessment."""

    model_config = ConfigDict(extra="forbid")

    at: datetime
    by: str = Field(default="", description="the signed-in person's email; empty in local mode")
    action: Action
    target: str = Field(default="", description="the statement, partner question, principle or action changed")
    detail: dict[str, str | int | bool | None] = Field(default_factory=dict)

    @property
    def who(self) -> str:
        return self.by or LOCAL


def summarise(changes: dict[str, object]) -> dict[str, str | int | bool | None]:
    """What to record of ``changes``: choices as they are, free text only as changed or cleared."""
    recorded: dict[str, str | int | bool | None] = {}
    for name, value in changes.items():
        if name in FREE_TEXT:
            recorded[name] = "changed" if value else "cleared"
        elif isinstance(value, date | datetime):
            recorded[name] = value.isoformat()
        elif value is None or isinstance(value, str | int | bool):
            recorded[name] = value
        else:
            recorded[name] = str(value)
    return recorded


def describe(change: Change, bank: QuestionBank) -> str:
    """The change in plain words, for the History view."""
    detail = change.detail
    if change.action == "start":
        return "Started the self-assessment"
    if change.action == "example":
        return "Made the fictional example"
    if change.action == "import":
        return "Saved it from an uploaded file"
    if change.action == "replace":
        return "Replaced it with an uploaded file"
    if change.action == "answer":
        parts = []
        if "choice" in detail:
            parts.append(f"answer {_choice(bank, detail['choice'])}")
        for name, label in (("evidence", "evidence note"), ("na_reason", "reason for 'Not applicable'")):
            if name in detail:
                parts.append(f"{label} {detail[name]}")
        return f"Statement {_number(bank, change.target)}: " + ", ".join(parts)
    if change.action == "respondent":
        return f"{detail.get('agency', 'An agency')}: started answering separately" + (
            "" if "first" not in detail else " (the board's answers so far are kept as 'The board, together')"
        )
    if change.action == "respondent-change":
        return f"{detail.get('agency', 'An agency')}: name or role changed"
    if change.action == "respondent-remove":
        statements, partners = detail.get("statements", 0), detail.get("partners", 0)
        counts = f"{statements} statement{'s' if statements != 1 else ''}, {partners} partner answer" + (
            "s" if partners != 1 else ""
        )
        return f"{detail.get('agency', 'An agency')}: answers removed ({counts})"
    if change.action == "respondent-answer":
        who = detail.get("for", "An agency")
        parts = [f"answer {_choice(bank, detail['choice'])}"] if "choice" in detail else []
        parts += [
            f"{label} {detail[name]}"
            for name, label in (("evidence", "evidence note"), ("na_reason", "reason for 'Not applicable'"))
            if name in detail
        ]
        return f"{who}, statement {_number(bank, change.target)}: " + ", ".join(parts)
    if change.action == "respondent-partner":
        partner_id, _, indicator_id = change.target.partition(".")
        partner = next((p.name for p in bank.partners.partners if p.id == partner_id), partner_id)
        answer = next((o.label for o in bank.partners.answers if o.id == detail.get("value")), "not answered")
        return f"{detail.get('for', 'An agency')}, partner coverage, {partner}: {answer}"
    if change.action == "agree":
        if "choice" not in detail or detail["choice"] is None:
            return f"Statement {_number(bank, change.target)}: agreed answer withdrawn, back to the proposal"
        how = "proposal accepted" if detail.get("accepted") else "set with a reason"
        return f"Statement {_number(bank, change.target)}: agreed {_choice(bank, detail['choice'])} ({how})"
    if change.action == "moderate":
        where = f"statement {_number(bank, str(detail['statement']))}" if detail.get("statement") else "the principle"
        if detail.get("level") is None:
            return f"Principle {change.target}, {where}: inspected level removed"
        return f"Principle {change.target}, {where}: inspected level {detail.get('level')}"
    if change.action == "partner":
        value = detail.get("value")
        partner_id, _, indicator_id = change.target.partition(".")
        partner = next((p.name for p in bank.partners.partners if p.id == partner_id), partner_id)
        indicator = next((i.short for i in bank.partners.indicators if i.id == indicator_id), indicator_id)
        answer = next((o.label for o in bank.partners.answers if o.id == value), "not answered")
        return f"Partner coverage, {partner}, {indicator}: {answer}"
    if change.action == "target":
        return f"Target for principle {change.target} set to {detail.get('level')}"
    if change.action == "plan-add":
        return "Added an action of the board's own to the plan"
    if change.action == "plan-remove":
        return "Removed the board's record of an action"
    fields = ", ".join(
        f"{name.replace('_', ' ')} {ACTION_STATUS_LABELS.get(str(value), value) if name == 'status' else value}"
        for name, value in detail.items()
    )
    return f"Action plan, {change.target}: {fields}" if fields else f"Action plan, {change.target}: changed"


def _number(bank: QuestionBank, statement_id: str) -> str:
    for principle in bank.principles:
        for number, statement in enumerate(principle.statements, start=1):
            if statement.id == statement_id:
                return f"{principle.number}.{number}"
    return statement_id


def _choice(bank: QuestionBank, choice: object) -> str:
    if choice is None:
        return "cleared"
    if choice == "dont_know":
        return "Don't know"
    if choice == "not_applicable":
        return "Not applicable"
    try:
        return f"{choice} {bank.level_label(int(str(choice)))}"
    except (ValueError, KeyError, IndexError):
        return str(choice)
