"""The board summary: what a board tables on two pages, built once for the report's first sheet and the app's
printable page, so the two never differ.

Every cell has words: a figure not yet known says "Not known", never a blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessment import tables
from assessment.agreement import not_yet_agreed
from assessment.model import ACTION_STATUS_LABELS, Assessment
from assessment.plan import ActionPlan
from assessment.scoring import Scorecard
from questions.models import QuestionBank

TOP_ACTIONS = 5
NOT_SIGNED_OFF = "Not yet signed off. Agreed by the board on ____________ (chair: ____________________)"
NOT_SET = tables.NOT_KNOWN


@dataclass(frozen=True)
class PrincipleLine:
    number: int
    name: str
    score: float | None
    score_text: str
    band: str
    target: int
    against_target: str


@dataclass(frozen=True)
class PartnerLine:
    partner: str
    strategic: str
    operational: str
    involved: str


@dataclass(frozen=True)
class ActionLine:
    rank: int
    title: str
    lead: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class BoardSummary:
    area: str
    year: int
    date: date
    sign_off: str
    overall_score: str
    overall_band: str
    statements_answered: str
    evidence_gaps: int
    principles: list[PrincipleLine]
    partners: list[PartnerLine]
    actions: list[ActionLine]
    gaps_in_plan: int
    not_yet_agreed: tuple[int, int] | None = None  # issue 10: (not yet agreed, statements), when agencies answer

    def facts(self) -> list[tuple[str, str]]:
        """The key facts, in the order a board reads them, each as words."""
        return [
            ("Area", self.area),
            ("Year", str(self.year)),
            ("Date of this summary", f"{self.date:%-d %B %Y}"),
            ("Sign-off", self.sign_off),
            ("Overall score (0 to 4)", self.overall_score),
            ("Overall band", self.overall_band),
            ("Statements answered", self.statements_answered),
            ("Evidence gaps", evidence_gaps_text(self.evidence_gaps)),
            *(
                [("Statements not yet agreed", not_yet_agreed_text(*self.not_yet_agreed))]
                if self.not_yet_agreed
                else []
            ),
        ]


def not_yet_agreed_text(pending: int, total: int) -> str:
    return f"{pending} of {total}: their proposed levels are used" if pending else "None: every statement is agreed"


def evidence_gaps_text(count: int) -> str:
    if count == 0:
        return "None: every statement has an answer"
    return (
        f"{count} statement{'s' if count != 1 else ''} answered 'Don't know', not answered, or 'Not applicable' "
        "without a reason"
    )


def against_target(score: float | None, target: int) -> str:
    if score is None:
        return tables.NOT_KNOWN
    difference = round(score - target, 1)
    if difference >= 0:
        return "Meets the target" if difference == 0 else f"Above the target by {difference:.1f}"
    return f"Below the target by {-difference:.1f}"


def board_summary(
    bank: QuestionBank, assessment: Assessment, scorecard: Scorecard, plan: ActionPlan, *, today: date
) -> BoardSummary:
    principles = [
        PrincipleLine(
            number=p.principle.number,
            name=p.principle.name,
            score=p.score,
            score_text=tables.score_text(p.score),
            band=tables.band_text(bank, p.band),
            target=p.target,
            against_target=against_target(p.score, p.target),
        )
        for p in scorecard.principles
    ]
    partners = [
        PartnerLine(
            partner=row["Partner"],
            strategic=row["Strategic level"],
            operational=row["Operational level"],
            involved=row["Involved"],
        )
        for row in tables.partner_rows(scorecard)
    ]
    actions = [
        ActionLine(
            rank=action.rank or number,
            title=action.title,
            lead=action.lead or NOT_SET,
            owner=action.owner or NOT_SET,
            due=f"{action.edit.due:%-d %b %Y}" if action.edit and action.edit.due else NOT_SET,
            status=ACTION_STATUS_LABELS[action.status],
        )
        for number, action in enumerate(plan.actions[:TOP_ACTIONS], start=1)
    ]
    return BoardSummary(
        area=assessment.area,
        year=assessment.year,
        date=today,
        sign_off=NOT_SIGNED_OFF,
        overall_score=tables.score_text(scorecard.overall),
        overall_band=tables.band_text(bank, scorecard.overall_band),
        statements_answered=f"{scorecard.answered_count()} of {len(scorecard.statement_results())}",
        evidence_gaps=len(scorecard.evidence_gaps()),
        principles=principles,
        partners=partners,
        actions=actions,
        gaps_in_plan=len(plan.gaps),
        not_yet_agreed=(len(not_yet_agreed(bank, assessment)), len(bank.statements()))
        if assessment.respondents
        else None,
    )
