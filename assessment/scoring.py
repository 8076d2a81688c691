"""The published scoring method: pure functions from a bank and an assessment to a scorecard.

The method is fixed so that inspectors can compare areas; ``method_steps`` is the text the app
and the Excel report show, and the functions below do exactly what it says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from assessment.model import Assessment
from assessment.wording import DONT_KNOW, INSUFFICIENT, NOT_APPLICABLE, NOT_KNOWN
from questions.models import Partner, Principle, QuestionBank, Statement

StatementStatus = Literal["scored", "dont_know", "not_applicable", "needs_reason", "unanswered"]
PartnerLevel = Literal["strategic", "operational"]

# The published rules. ``method_steps`` writes the method from these, so the text and the code cannot drift apart.
MIN_SHARE_ANSWERED = 0.5  # a principle is scored when at least this share of its applicable statements has a level
SHARE_WORDS = {0.5: "half", 0.25: "a quarter", 0.75: "three quarters", 1.0: "all"}
INVOLVED_AT = 50.0  # a partner is involved at a level from this coverage (%)
PERCENT_EXAMPLE = 62.5  # the example of halves rounding up in the published method
BAND_UPPER_BOUNDS = (0.5, 1.5, 2.5, 3.5)  # a score below the n-th bound is in band n; from the last, the top band


def statements_needed(applicable: int) -> int:
    """How many of a principle's applicable statements need a level before it is scored."""
    return math.ceil(MIN_SHARE_ANSWERED * applicable)


def _number(value: float) -> str:
    return f"{value:g}"


def method_steps(bank: QuestionBank) -> tuple[str, ...]:
    """The scoring method as the app, the report and the README state it, written from the rules below."""
    levels = bank.levels
    top = levels[-1]
    bands = ", ".join(
        f"below {_number(bound)} {level.label}" for bound, level in zip(BAND_UPPER_BOUNDS, levels, strict=False)
    )
    partner_scores = ", ".join(
        f"{a.label} counts {_number(a.score)}" for a in bank.partners.answers if a.score is not None
    )
    unscored = " or ".join(f"'{a.label}'" for a in bank.partners.answers if a.score is None)
    return (
        f"A statement's level is its number, from {levels[0].number} ({levels[0].label}) to {top.number} ({top.label}).",
        f"'{DONT_KNOW}' is not scored. It is counted as an evidence gap.",
        f"'{NOT_APPLICABLE}' is not scored and needs a reason. Until a reason is given it counts as unanswered.",
        f"A principle's score is the weighted mean of the levels of its scored statements, from "
        f"{levels[0].number:.1f} to {top.number:.1f}, rounded to one decimal place (halves round up).",
        f"A principle's score is reported only when at least {SHARE_WORDS[MIN_SHARE_ANSWERED]} of its applicable "
        f"statements (those not marked '{NOT_APPLICABLE}') have a level. Otherwise it shows '{INSUFFICIENT}'.",
        f"A principle's band is the level nearest its rounded score, halves rounding up: {bands}, "
        f"{_number(BAND_UPPER_BOUNDS[-1])} or more {top.label}.",
        "The overall score is the mean of the principle scores as shown (to one decimal place), rounded to one "
        "decimal place, halves up, and banded the same way. It is reported only when every principle has a score.",
        f"Partner coverage: {partner_scores}. {unscored} is not scored. A partner's coverage at "
        "strategic or operational level is the mean of its scored answers at that level, as a percentage.",
        f"A partner is involved at a level when its coverage there is {INVOLVED_AT:.0f}% or more, and involved "
        "when it is involved at either level. Where neither level shows involvement and a level is not known, "
        f"whether the partner is involved is {NOT_KNOWN.lower()}.",
        f"Percentages are shown to the nearest whole number, halves up ({PERCENT_EXAMPLE:g}% shows as "
        f"{percent_text(PERCENT_EXAMPLE)}).",
    )


def round_score(value: float) -> float:
    """Round to one decimal place, halves up (2.45 -> 2.5), as published.

    The value is first rounded to nine places, so that a half reached by float arithmetic as 2.4499999999
    still rounds up, as it does by hand.
    """
    return float(Decimal(repr(round(value, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def round_percent(value: float) -> int:
    """A percentage to the nearest whole number, halves up (62.5 -> 63), as every page and file shows it."""
    return int(Decimal(repr(round(value, 9))).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def percent_text(value: float) -> str:
    """A percentage as shown everywhere: the whole number, halves up, with a % sign."""
    return f"{round_percent(value)}%"


def decimal_text(value: float) -> str:
    """Up to three decimal places, without trailing zeros: 2.6, 2.333, 3."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def band_for(score: float) -> int:
    """The level nearest a (rounded) score, halves rounding up."""
    for level, upper in enumerate(BAND_UPPER_BOUNDS):
        if score < upper:
            return level
    return 4


@dataclass(frozen=True)
class StatementResult:
    principle: Principle
    statement: Statement
    status: StatementStatus
    level: int | None
    target: int

    @property
    def weight(self) -> float:
        return self.statement.weight

    @property
    def below_target(self) -> bool:
        return self.level is not None and self.level < self.target

    @property
    def is_evidence_gap(self) -> bool:
        return self.status in ("dont_know", "unanswered", "needs_reason")


@dataclass(frozen=True)
class PrincipleScore:
    principle: Principle
    results: tuple[StatementResult, ...]
    target: int
    score: float | None
    exact: float | None = field(repr=False)

    @property
    def band(self) -> int | None:
        return None if self.score is None else band_for(self.score)

    @property
    def applicable(self) -> int:
        return sum(1 for r in self.results if r.status != "not_applicable")

    @property
    def scored(self) -> int:
        return sum(1 for r in self.results if r.status == "scored")

    @property
    def insufficient(self) -> bool:
        return self.score is None

    def explanation(self, bank: QuestionBank) -> str:
        """Why the principle came out as it did, in one sentence."""
        if self.applicable == 0:
            return f"Every statement is marked '{NOT_APPLICABLE}', so there is nothing to score."
        if self.score is None:
            needed = statements_needed(self.applicable)
            return (
                f"Only {self.scored} of {self.applicable} applicable statements have a level; "
                f"at least {needed} are needed for a score."
            )
        parts = [
            f"{r.level}" + (f"×{r.weight:g}" if r.weight != 1 else "") for r in self.results if r.status == "scored"
        ]
        total_weight = sum(r.weight for r in self.results if r.status == "scored")
        weighted = " + ".join(parts)
        return (
            f"({weighted}) ÷ {total_weight:g} = {decimal_text(self.exact)}, shown as {self.score:.1f}: "
            f"{bank.level_label(self.band)}. {self.scored} of {self.applicable} applicable statements scored."
        )


@dataclass(frozen=True)
class PartnerCoverage:
    partner: Partner
    answers: dict[str, str | None]
    strategic: float | None
    operational: float | None

    def coverage(self, level: PartnerLevel) -> float | None:
        return self.strategic if level == "strategic" else self.operational

    def involved_at(self, level: PartnerLevel) -> bool:
        value = self.coverage(level)
        return value is not None and value >= INVOLVED_AT

    @property
    def involved(self) -> bool | None:
        """Involved at either level; None (not known) when no known level shows it and a level is not known."""
        if self.involved_at("strategic") or self.involved_at("operational"):
            return True
        if self.strategic is None or self.operational is None:
            return None
        return False

    @property
    def unknown(self) -> bool:
        return self.strategic is None and self.operational is None


@dataclass(frozen=True)
class Scorecard:
    bank_version: str
    principles: tuple[PrincipleScore, ...]
    partners: tuple[PartnerCoverage, ...]
    overall: float | None
    overall_exact: float | None = field(repr=False)

    @property
    def overall_band(self) -> int | None:
        return None if self.overall is None else band_for(self.overall)

    def statement_results(self) -> list[StatementResult]:
        return [r for p in self.principles for r in p.results]

    def evidence_gaps(self) -> list[StatementResult]:
        return [r for r in self.statement_results() if r.is_evidence_gap]

    def strongest(self, count: int = 3) -> list[StatementResult]:
        scored = [r for r in self.statement_results() if r.level is not None]
        return sorted(scored, key=lambda r: (-r.level, -r.weight, r.principle.number))[:count]

    def weakest(self, count: int = 3) -> list[StatementResult]:
        scored = [r for r in self.statement_results() if r.level is not None]
        return sorted(scored, key=lambda r: (r.level, -r.weight, r.principle.number))[:count]

    def answered_count(self) -> int:
        """Statements with an answer that counts: a 'Not applicable' without its reason is still unanswered."""
        return sum(1 for r in self.statement_results() if r.status not in ("unanswered", "needs_reason"))

    def principle(self, number: int) -> PrincipleScore:
        return self.principles[number - 1]


def statement_status(assessment: Assessment, statement: Statement) -> StatementStatus:
    answer = assessment.answers.get(statement.id)
    if answer is None or answer.choice is None:
        return "unanswered"
    if answer.choice == "dont_know":
        return "dont_know"
    if answer.choice == "not_applicable":
        return "not_applicable" if answer.na_reason.strip() else "needs_reason"
    return "scored"


def score_principle(assessment: Assessment, principle: Principle) -> PrincipleScore:
    target = assessment.target(principle.number)
    results = tuple(
        StatementResult(
            principle=principle,
            statement=statement,
            status=(status := statement_status(assessment, statement)),
            level=assessment.answers[statement.id].level if status == "scored" else None,
            target=target,
        )
        for statement in principle.statements
    )
    scored = [r for r in results if r.status == "scored"]
    applicable = sum(1 for r in results if r.status != "not_applicable")
    exact = None
    if applicable and len(scored) >= statements_needed(applicable):
        exact = sum(r.level * r.weight for r in scored) / sum(r.weight for r in scored)
    return PrincipleScore(
        principle=principle,
        results=results,
        target=target,
        score=None if exact is None else round_score(exact),
        exact=exact,
    )


def partner_scores(bank: QuestionBank) -> dict[str, float]:
    """What each partner answer counts, from the bank: Yes 1, Partly 0.5, No 0 (Don't know is not scored)."""
    return {a.id: a.score for a in bank.partners.answers if a.score is not None}


def _coverage(values: list[str | None], scores: dict[str, float]) -> float | None:
    scored = [scores[v] for v in values if v in scores]
    if not scored:
        return None
    return 100.0 * sum(scored) / len(scored)


def score_partner(bank: QuestionBank, assessment: Assessment, partner: Partner) -> PartnerCoverage:
    answers = {i.id: assessment.partner_answer(partner.id, i.id) for i in bank.partners.indicators}
    scores = partner_scores(bank)
    by_level = {
        level: [answers[i.id] for i in bank.partners.indicators if i.level == level]
        for level in ("strategic", "operational")
    }
    return PartnerCoverage(
        partner=partner,
        answers=answers,
        strategic=_coverage(by_level["strategic"], scores),
        operational=_coverage(by_level["operational"], scores),
    )


def score(bank: QuestionBank, assessment: Assessment) -> Scorecard:
    """The scorecard of an assessment, by the published method."""
    principles = tuple(score_principle(assessment, p) for p in bank.principles)
    overall_exact = None
    if all(p.score is not None for p in principles):
        # The mean of the scores as shown, so that anyone can check it from the six figures on the page.
        overall_exact = sum(p.score for p in principles) / len(principles)
    return Scorecard(
        bank_version=bank.version,
        principles=principles,
        partners=tuple(score_partner(bank, assessment, p) for p in bank.partners.partners),
        overall=None if overall_exact is None else round_score(overall_exact),
        overall_exact=overall_exact,
    )
