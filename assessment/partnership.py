"""What the partnership's answers show once several agencies answer: how far each has got, the range of their
own scores beside the agreed ones, where an agency rates its own involvement higher than the others do, and the
inspector's moderated levels beside the self-assessment. Pure functions over ``agreement`` and ``scoring``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from assessment.agreement import agency_label, as_assessment, respondent_label
from assessment.model import Assessment, Moderation, Respondent
from assessment.scoring import PartnerLevel, Scorecard, round_score, score
from questions.models import QuestionBank

LEVELS: tuple[PartnerLevel, ...] = ("strategic", "operational")


@dataclass(frozen=True)
class Progress:
    """How far one respondent has got."""

    respondent: Respondent
    label: str
    statements: int
    statements_total: int
    partner_answers: int
    partner_total: int

    @property
    def started(self) -> bool:
        return bool(self.statements or self.partner_answers)

    @property
    def finished(self) -> bool:
        return self.statements == self.statements_total and self.partner_answers == self.partner_total

    @property
    def updated_at(self) -> datetime:
        return self.respondent.updated_at


def respondent_scorecards(bank: QuestionBank, assessment: Assessment) -> dict[str, Scorecard]:
    """Each respondent's own answers scored by the published method, by respondent id."""
    return {r.id: score(bank, as_assessment(assessment, r)) for r in assessment.respondents}


def progress(bank: QuestionBank, assessment: Assessment) -> list[Progress]:
    """Who has answered and how far each has got, in the order they started."""
    statements_total = len(bank.statements())
    partner_total = len(bank.partners.partners) * len(bank.partners.indicators)
    partners = {p.id for p in bank.partners.partners}
    indicators = {i.id for i in bank.partners.indicators}
    cards = respondent_scorecards(bank, assessment)
    return [
        Progress(
            respondent=r,
            label=respondent_label(bank, r),
            statements=cards[r.id].answered_count(),
            statements_total=statements_total,
            partner_answers=sum(
                1 for p, row in r.partner_answers.items() if p in partners for i in row if i in indicators
            ),
            partner_total=partner_total,
        )
        for r in assessment.respondents
    ]


def not_answered(bank: QuestionBank, assessment: Assessment, people: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Who has not answered: the bank's partners no respondent answers for, and those of ``people`` (the area's
    members, in shared mode) who have not started answering, in the order given."""
    agencies = {r.agency for r in assessment.respondents}
    started = {r.user.casefold() for r in assessment.respondents if r.user}
    return (
        [p.name for p in bank.partners.partners if p.id not in agencies],
        [email for email in people if email.casefold() not in started],
    )


@dataclass(frozen=True)
class ScoreRange:
    """The lowest and highest of the respondents' own scores for one principle, and how many had a score."""

    low: float | None
    high: float | None
    scored: int
    respondents: int

    def text(self) -> str:
        if self.low is None or self.high is None:
            return "No respondent has a score yet"
        span = f"{self.low:.1f}" if self.low == self.high else f"{self.low:.1f} to {self.high:.1f}"
        return f"{span} ({self.scored} of {self.respondents} respondents scored)"


def principle_ranges(bank: QuestionBank, assessment: Assessment) -> dict[int, ScoreRange]:
    """For each principle, the range of the respondents' own principle scores (as shown, one decimal place)."""
    cards = respondent_scorecards(bank, assessment)
    ranges = {}
    for principle in bank.principles:
        scores = [c.principle(principle.number).score for c in cards.values()]
        scores = [s for s in scores if s is not None]
        ranges[principle.number] = ScoreRange(
            low=min(scores) if scores else None,
            high=max(scores) if scores else None,
            scored=len(scores),
            respondents=len(cards),
        )
    return ranges


@dataclass(frozen=True)
class SelfRating:
    """An agency's view of its own involvement at one level beside the mean of the other agencies' views."""

    partner: str
    agency: str
    level: PartnerLevel
    own: float
    others: float
    others_count: int

    @property
    def higher(self) -> bool:
        return self.own > self.others


def self_ratings(bank: QuestionBank, assessment: Assessment) -> list[SelfRating]:
    """Where an agency that is one of the bank's partners rated its own involvement, beside the others' ratings.

    ``higher`` flags an agency that rates its own involvement higher than the mean of the others' ratings.
    """
    cards = respondent_scorecards(bank, assessment)
    found = []
    for respondent in assessment.respondents:
        partner_ids = {p.id for p in bank.partners.partners}
        if respondent.agency not in partner_ids:
            continue
        for level in LEVELS:
            own = _coverage(cards[respondent.id], respondent.agency, level)
            others = [
                value
                for other in assessment.respondents
                if other.agency != respondent.agency
                and (value := _coverage(cards[other.id], respondent.agency, level)) is not None
            ]
            if own is None or not others:
                continue
            found.append(
                SelfRating(
                    partner=bank.partner(respondent.agency).name,
                    agency=respondent_label(bank, respondent),
                    level=level,
                    own=own,
                    others=sum(others) / len(others),
                    others_count=len(others),
                )
            )
    return found


def _coverage(card: Scorecard, partner_id: str, level: PartnerLevel) -> float | None:
    return next((p.coverage(level) for p in card.partners if p.partner.id == partner_id), None)


def partner_views(bank: QuestionBank, assessment: Assessment) -> list[dict[str, str]]:
    """Each agency's answers about every partner: one row per partner, one column per respondent (Yes, Partly ...)."""
    words = {o.id: o.label for o in bank.partners.answers}
    rows = []
    for partner in bank.partners.partners:
        for indicator in bank.partners.indicators:
            row = {"Partner": partner.name, "Question": indicator.short}
            for respondent in assessment.respondents:
                value = respondent.partner_answer(partner.id, indicator.id)
                row[respondent_label(bank, respondent)] = words.get(value, "") if value else ""
            rows.append(row)
    return rows


# ---- the inspector's moderation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeratedPrinciple:
    """A principle's self-assessed score beside the inspector's level, and the difference (inspected - self)."""

    number: int
    name: str
    self_assessed: float | None
    moderation: Moderation | None

    @property
    def difference(self) -> float | None:
        if self.moderation is None or self.self_assessed is None:
            return None
        return round_score(self.moderation.level - self.self_assessed)


def moderated_principles(bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> list[ModeratedPrinciple]:
    return [
        ModeratedPrinciple(
            number=p.principle.number,
            name=p.principle.name,
            self_assessed=p.score,
            moderation=assessment.moderated(p.principle.number),
        )
        for p in scorecard.principles
    ]


def difference_text(value: float | None) -> str:
    if value is None:
        return ""
    return "0.0 (the same)" if value == 0 else f"{value:+.1f}"


__all__ = [
    "ModeratedPrinciple",
    "Progress",
    "ScoreRange",
    "SelfRating",
    "agency_label",
    "difference_text",
    "moderated_principles",
    "not_answered",
    "partner_views",
    "principle_ranges",
    "progress",
    "respondent_scorecards",
    "self_ratings",
]
