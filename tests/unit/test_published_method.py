"""The published texts (the scoring method and the priority method) say what the code does.

Each test reads a figure from the text a board sees and checks the code gives the same figure, so a
rule changed in the code without its text, or the text without the rule, fails here.
"""

from __future__ import annotations

import re

import pytest

from assessment import plan
from assessment.model import Assessment, StatementAnswer
from assessment.scoring import (
    BAND_UPPER_BOUNDS,
    INVOLVED_AT,
    MIN_SHARE_ANSWERED,
    SHARE_WORDS,
    PartnerCoverage,
    band_for,
    method_steps,
    partner_scores,
    score,
    score_principle,
    statements_needed,
)
from questions.loader import get_bank
from tests.factories import make_bank

BANK = get_bank()
SMALL = make_bank(statements_per_principle=6)


def method() -> str:
    """Written afresh in each test (never at import), so a changed rule shows in the text the test reads."""
    return " ".join(method_steps(BANK))


def priority() -> str:
    return " ".join(plan.priority_method(BANK))


def numbers(pattern: str, text: str) -> tuple[float, ...]:
    found = re.search(pattern, text)
    assert found, f"the published text no longer says {pattern!r}"
    return tuple(float(group) for group in found.groups())


# ---- the scoring method ---------------------------------------------------------------------------------------


def test_the_bands_published_are_the_bands_the_code_gives():
    stated = re.findall(r"below (\d+(?:\.\d+)?) ([A-Z][a-z]+(?: [a-z]+)*)[,.]", method())
    assert [(float(bound), label) for bound, label in stated] == [
        (bound, level.label) for bound, level in zip(BAND_UPPER_BOUNDS, BANK.levels, strict=False)
    ]
    for band, (bound, _label) in enumerate(stated):
        assert band_for(float(bound) - 0.1) == band
        assert band_for(float(bound)) == band + 1
    (top,) = numbers(r"(\d+(?:\.\d+)?) or more " + BANK.levels[-1].label, method())
    assert band_for(top) == BANK.levels[-1].number == band_for(4.0)


@pytest.mark.parametrize("applicable", range(1, 7))
def test_a_principle_is_scored_from_the_share_of_statements_the_method_states(applicable):
    assert f"at least {SHARE_WORDS[MIN_SHARE_ANSWERED]} of its applicable statements" in method()
    principle = SMALL.principles[0]
    for scored in range(applicable + 1):
        answers = {s.id: StatementAnswer(choice="2") for s in principle.statements[:scored]}
        answers |= {
            s.id: StatementAnswer(choice="not_applicable", na_reason="No prison")
            for s in principle.statements[applicable:]
        }
        result = score_principle(Assessment(area="A", year=2026, bank_version="t", answers=answers), principle)
        assert result.applicable == applicable
        assert (result.score is not None) == (scored >= MIN_SHARE_ANSWERED * applicable), (applicable, scored)
        assert (result.score is not None) == (scored >= statements_needed(applicable))


def test_the_partner_scores_and_the_involvement_threshold_published_are_those_applied():
    for answer in BANK.partners.answers:
        if answer.score is None:
            assert f"'{answer.label}' is not scored" in method()
        else:
            assert f"{answer.label} counts {answer.score:g}" in method()
    assert partner_scores(BANK) == {a.id: a.score for a in BANK.partners.answers if a.score is not None}
    (threshold,) = numbers(r"coverage there is (\d+)% or more", method())
    assert threshold == INVOLVED_AT
    partner = BANK.partners.partners[0]
    at = PartnerCoverage(partner, {}, strategic=threshold, operational=None)
    below = PartnerCoverage(partner, {}, strategic=threshold - 0.1, operational=None)
    assert at.involved and not below.involved


def test_the_overall_score_needs_every_principle_as_published():
    assert "reported only when every principle has a score" in method()
    answers = {s.id: StatementAnswer(choice="3") for p in SMALL.principles[1:] for s in p.statements}
    assessment = Assessment(area="A", year=2026, bank_version="t", answers=answers)
    assert score(SMALL, assessment).overall is None


# ---- the priority method --------------------------------------------------------------------------------------


def gap_points(level: int, target: int, weight: float) -> float:
    bank = make_bank(weights={"s1-1": weight})
    answers = {s.id: StatementAnswer(choice="4") for _, s in bank.statements()}
    answers["s1-1"] = StatementAnswer(choice=str(level))
    assessment = Assessment(area="A", year=2026, bank_version="t", answers=answers, targets={1: target})
    (gap,) = [g for g in plan.find_gaps(bank, score(bank, assessment)) if g.kind == "statement"]
    return gap.points


def test_the_statement_example_in_the_priority_method_is_what_the_plan_scores():
    level, target, weight, *_sum = numbers(
        r"level (\d) against a target of (\d) on a statement of weight (\d+) scores (\d+) × (\d+) × (\d+) = (\d+)",
        priority(),
    )
    assert gap_points(int(level), int(target), weight) == _sum[-1]
    assert tuple(_sum[:2]) == (target - level, weight)


def partner_gap(strategic: float | None, priority: bool = False) -> plan.Gap | None:
    partner = BANK.partners.partners[0].model_copy(update={"priority": priority})
    return plan._partner_gap(PartnerCoverage(partner, {}, strategic=strategic, operational=None), "strategic")


def test_the_partner_points_in_the_priority_method_are_what_the_plan_scores():
    threshold, base, shortfall, at_zero, at_forty = numbers(
        r"coverage below (\d+)%\) scores (\d+) \+ (\d+) × the share of that level still missing: (\d+) points at 0% "
        r"coverage, (\d+) at 40%",
        priority(),
    )
    assert partner_gap(0.0).points == at_zero == base + shortfall
    assert partner_gap(40.0).points == at_forty
    assert partner_gap(threshold) is None
    assert partner_gap(threshold - 0.1).points > base
    assert partner_gap(0.0, priority=True).points == 2 * at_zero
    assert "Partner points are doubled for" in priority()
    (unknown,) = numbers(r"\(.Don't know. or no answer\) scores (\d+) points", priority())
    assert partner_gap(None).points == unknown
    assert partner_gap(None, priority=True).points == 2 * unknown


def test_the_evidence_and_dont_know_points_in_the_priority_method_are_what_the_plan_scores():
    base, each = numbers(r"too few answers for a score scores (\d+) points, plus (\d+) for each further", priority())
    principle = SMALL.principles[0]
    for scored in range(3):
        answers = {s.id: StatementAnswer(choice="2") for s in principle.statements[:scored]}
        result = score_principle(Assessment(area="A", year=2026, bank_version="t", answers=answers), principle)
        gap = plan._evidence_gap(result)
        assert gap.points == base + each * (statements_needed(len(principle.statements)) - scored)
    (dont_know,) = numbers(r"answered .Don't know. scores (\d+) points", priority())
    answers = {s.id: StatementAnswer(choice="4") for _, s in SMALL.statements()}
    answers["s1-1"] = StatementAnswer(choice="dont_know")
    gaps = plan.find_gaps(SMALL, score(SMALL, Assessment(area="A", year=2026, bank_version="t", answers=answers)))
    assert [g.points for g in gaps if g.kind == "statement_unknown"] == [dont_know]
