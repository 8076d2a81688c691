"""The published scoring method, checked against examples worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.model import StatementAnswer
from assessment.scoring import band_for, decimal_text, round_percent, round_score, score
from tests.factories import make_assessment, make_bank

BANK = make_bank()
WEIGHTED = make_bank(weights={"s1-1": 2.0, "s1-2": 3.0})


def all_answered(level: str) -> dict[str, str]:
    return {s.id: level for _, s in BANK.statements()}


def test_a_principle_score_is_the_mean_of_its_levels():
    card = score(BANK, make_assessment({"s1-1": "4", "s1-2": "3", "s1-3": "2", "s1-4": "2"}))
    assert card.principle(1).score == 2.8
    assert card.principle(1).band == 3  # Established


def test_weights_pull_the_mean_towards_heavier_statements():
    # (4*2 + 0*3 + 2 + 2) / (2 + 3 + 1 + 1) = 12 / 7 = 1.714... -> 1.7
    card = score(WEIGHTED, make_assessment({"s1-1": "4", "s1-2": "0", "s1-3": "2", "s1-4": "2"}))
    assert card.principle(1).exact == pytest.approx(12 / 7)
    assert card.principle(1).score == 1.7
    assert card.principle(1).band == 2


def test_dont_know_is_not_scored_but_is_an_evidence_gap():
    card = score(BANK, make_assessment({"s1-1": "4", "s1-2": "2", "s1-3": "dont_know"}))
    assert card.principle(1).score == 3.0
    gaps = {r.statement.id for r in card.evidence_gaps()}
    assert "s1-3" in gaps
    assert "s1-4" in gaps  # unanswered is a gap too


def test_not_applicable_with_a_reason_leaves_the_statement_out():
    card = score(BANK, make_assessment({"s1-1": "1", "s1-2": "na", "s1-3": "na", "s1-4": "dont_know"}))
    # Two applicable statements, one scored: half, so the score is reported.
    assert card.principle(1).applicable == 2
    assert card.principle(1).score == 1.0


def test_not_applicable_without_a_reason_counts_as_unanswered():
    assessment = make_assessment({"s1-1": "3", "s1-2": "3"})
    assessment.answers["s1-3"] = StatementAnswer(choice="not_applicable", na_reason="  ")
    card = score(BANK, assessment)
    statuses = {r.statement.id: r.status for r in card.principle(1).results}
    assert statuses["s1-3"] == "needs_reason"
    assert card.principle(1).applicable == 4
    assert "s1-3" in {r.statement.id for r in card.evidence_gaps()}


def test_a_principle_with_fewer_than_half_its_statements_scored_has_insufficient_evidence():
    card = score(BANK, make_assessment({"s1-1": "4", "s1-2": "dont_know"}))
    assert card.principle(1).scored == 1
    assert card.principle(1).score is None
    assert card.principle(1).band is None
    assert "at least 2" in card.principle(1).explanation(BANK)


def test_exactly_half_scored_is_enough_for_a_score():
    card = score(BANK, make_assessment({"s1-1": "4", "s1-2": "2"}))
    assert card.principle(1).score == 3.0


def test_a_principle_with_every_statement_not_applicable_has_no_score():
    card = score(BANK, make_assessment({f"s1-{n}": "na" for n in range(1, 5)}))
    assert card.principle(1).applicable == 0
    assert card.principle(1).score is None


@pytest.mark.parametrize(
    ("value", "band"),
    [(0.0, 0), (0.4, 0), (0.5, 1), (1.4, 1), (1.5, 2), (2.4, 2), (2.5, 3), (3.4, 3), (3.5, 4), (4.0, 4)],
)
def test_band_boundaries_round_halves_up(value, band):
    assert band_for(value) == band


def test_scores_are_rounded_half_up_before_banding():
    assert round_score(2.45) == 2.5
    assert round_score(2.449) == 2.4
    # A mean of exactly 2.5 is Established, not Developing.
    card = score(BANK, make_assessment({"s1-1": "3", "s1-2": "2", "s1-3": "3", "s1-4": "2"}))
    assert card.principle(1).score == 2.5
    assert card.principle(1).band == 3


def test_the_overall_score_needs_all_six_principles():
    choices = all_answered("2")
    assert score(BANK, make_assessment(choices)).overall == 2.0
    for sid in ("s6-1", "s6-2", "s6-3"):
        choices[sid] = "dont_know"
    card = score(BANK, make_assessment(choices))
    assert card.principle(6).score is None
    assert card.overall is None
    assert card.overall_band is None


def test_the_overall_score_is_the_mean_of_the_principle_scores_as_shown():
    # Principles 1-3 score 2.25 each, shown as 2.3; the rest 2.0. The shown scores average 2.15 -> 2.2, which
    # is what a reader checking the six figures on the page gets (the unrounded ones would give 2.125 -> 2.1).
    choices = all_answered("2")
    for number in (1, 2, 3):
        choices[f"s{number}-1"] = "3"
    card = score(BANK, make_assessment(choices))
    assert [p.score for p in card.principles] == [2.3, 2.3, 2.3, 2.0, 2.0, 2.0]
    assert card.overall == 2.2


def test_the_overall_score_is_the_mean_of_the_principle_scores():
    choices = all_answered("2")
    choices.update({f"s1-{n}": "4" for n in range(1, 5)})  # principle 1 scores 4
    card = score(BANK, make_assessment(choices))
    assert card.overall == round_score((4 + 2 * 5) / 6)  # 2.333 -> 2.3
    assert card.overall == 2.3


def test_partner_coverage_counts_yes_one_partly_half_no_nothing():
    assessment = make_assessment(
        partner_answers={
            "police": {"board": "yes", "vision": "partly", "meetings": "no", "contact": "dont_know"},
            "housing": {"board": "no", "vision": "partly", "meetings": "yes", "contact": "partly"},
        }
    )
    card = score(BANK, assessment)
    police = next(p for p in card.partners if p.partner.id == "police")
    housing = next(p for p in card.partners if p.partner.id == "housing")
    assert police.strategic == 75.0
    assert police.operational == 0.0  # don't know is left out
    assert police.involved_at("strategic") and not police.involved_at("operational")
    assert police.involved
    assert housing.strategic == 25.0
    assert housing.operational == 75.0
    assert housing.involved


def test_a_partner_at_exactly_half_is_involved_and_one_with_no_answers_is_unknown():
    card = score(BANK, make_assessment(partner_answers={"prison": {"board": "partly", "vision": "partly"}}))
    prison = next(p for p in card.partners if p.partner.id == "prison")
    assert prison.strategic == 50.0 and prison.involved_at("strategic")
    assert prison.operational is None
    unknown = next(p for p in card.partners if p.partner.id == "mental_health")
    assert unknown.unknown and not unknown.involved


def test_the_explanation_shows_the_arithmetic():
    card = score(WEIGHTED, make_assessment({"s1-1": "4", "s1-2": "0", "s1-3": "2", "s1-4": "2"}))
    text = card.principle(1).explanation(WEIGHTED)
    assert "4×2 + 0×3 + 2 + 2" in text
    assert "1.7" in text and "Developing" in text


CHOICE = st.sampled_from(["0", "1", "2", "3", "4", "dont_know", "not_applicable", None])
ANSWERS = st.fixed_dictionaries({s.id: CHOICE for _, s in WEIGHTED.statements()})


def build(choices: dict[str, str | None]):
    answers = {
        sid: StatementAnswer(choice=c, na_reason="reason" if c == "not_applicable" else "")
        for sid, c in choices.items()
        if c is not None
    }
    return make_assessment().model_copy(update={"answers": answers})


@settings(max_examples=200, deadline=None)
@given(ANSWERS)
def test_every_score_stays_between_0_and_4(choices):
    card = score(WEIGHTED, build(choices))
    for principle in card.principles:
        assert principle.score is None or 0.0 <= principle.score <= 4.0
    assert card.overall is None or 0.0 <= card.overall <= 4.0


@settings(max_examples=200, deadline=None)
@given(ANSWERS, st.sampled_from([s.id for _, s in WEIGHTED.statements()]), st.sampled_from(["0", "1", "2", "3"]))
def test_raising_a_level_never_lowers_any_score(choices, sid, level):
    # The raised statement is drawn at a level that can go up, so every example is a real check (none skipped).
    choices = {**choices, sid: level}
    before = score(WEIGHTED, build(choices))
    raised = score(WEIGHTED, build({**choices, sid: str(int(choices[sid]) + 1)}))
    for old, new in zip(before.principles, raised.principles, strict=True):
        assert (old.score is None) == (new.score is None)
        if old.score is not None:
            assert new.score >= old.score
    if before.overall is not None:
        assert raised.overall >= before.overall


@settings(max_examples=200, deadline=None)
@given(ANSWERS, st.sampled_from([s.id for _, s in WEIGHTED.statements()]), st.sampled_from(["dont_know", "n/a"]))
def test_turning_an_unanswered_statement_into_dont_know_or_na_keeps_a_reported_score(choices, sid, new):
    choices = {**choices, sid: None}  # the statement starts unanswered in every example
    before = score(WEIGHTED, build(choices))
    after = score(WEIGHTED, build({**choices, sid: "dont_know" if new == "dont_know" else "not_applicable"}))
    for old, changed in zip(before.principles, after.principles, strict=True):
        if old.score is not None:
            assert changed.score == old.score


def test_a_half_reached_by_float_arithmetic_still_rounds_up():
    # 0 + 0 + 2.7 + 4 + 4 + 4 = 14.7, / 6 = 2.45 by hand, but 2.4499999999999997 in floats.
    assert sum([0.0, 0.0, 2.7, 4.0, 4.0, 4.0]) / 6 < 2.45
    assert round_score(sum([0.0, 0.0, 2.7, 4.0, 4.0, 4.0]) / 6) == 2.5
    # Decimal weights: (3×0.7 + 0×0.1 + 3×0.1 + 3×0.1 + 3×0.2) / 1.2 = 2.75 by hand.
    bank = make_bank(
        statements_per_principle=5, weights={"s1-1": 0.7, "s1-2": 0.1, "s1-3": 0.1, "s1-4": 0.1, "s1-5": 0.2}
    )
    card = score(bank, make_assessment({"s1-1": "3", "s1-2": "0", "s1-3": "3", "s1-4": "3", "s1-5": "3"}))
    assert card.principle(1).score == 2.8


def test_the_strongest_statements_are_the_highest_levels_heaviest_first_then_in_principle_order():
    bank = make_bank(weights={"s1-1": 2.0, "s1-2": 3.0, "s2-3": 2.0})
    answers = {"s2-1": "4", "s1-3": "4", "s1-1": "4", "s1-2": "4", "s3-1": "3", "s4-1": "dont_know"}
    answers |= {"s3-2": "0", "s2-2": "0", "s1-4": "0", "s2-3": "0", "s5-1": "1"}
    card = score(bank, make_assessment(answers))
    assert [r.statement.id for r in card.strongest()] == ["s1-2", "s1-1", "s1-3"]
    assert [r.statement.id for r in card.strongest(5)] == ["s1-2", "s1-1", "s1-3", "s2-1", "s3-1"]


def test_the_weakest_statements_are_the_lowest_levels_heaviest_first_then_in_principle_order():
    bank = make_bank(weights={"s1-1": 2.0, "s1-2": 3.0, "s2-3": 2.0})
    answers = {"s2-1": "4", "s1-3": "4", "s1-1": "4", "s1-2": "4", "s3-1": "3", "s4-1": "dont_know"}
    answers |= {"s3-2": "0", "s2-2": "0", "s1-4": "0", "s2-3": "0", "s5-1": "1"}
    card = score(bank, make_assessment(answers))
    assert [r.statement.id for r in card.weakest()] == ["s2-3", "s1-4", "s2-2"]
    # Only statements with a level are listed: 'Don't know' and unanswered ones are neither strong nor weak.
    assert [r.statement.id for r in card.weakest(20)] == [
        *["s2-3", "s1-4", "s2-2", "s3-2", "s5-1", "s3-1"],
        *["s1-2", "s1-1", "s1-3", "s2-1"],
    ]


def test_the_explanation_divides_by_the_weights_of_the_scored_statements_only():
    # (4×2 + 0×3 + 2) ÷ 6 = 1.667, shown as 1.7; s1-4 is 'Don't know', so its weight is not in the total.
    card = score(WEIGHTED, make_assessment({"s1-1": "4", "s1-2": "0", "s1-3": "2", "s1-4": "dont_know"}))
    assert card.principle(1).explanation(WEIGHTED) == (
        "(4×2 + 0×3 + 2) ÷ 6 = 1.667, shown as 1.7: Developing. 3 of 4 applicable statements scored."
    )


@pytest.mark.parametrize(("value", "text"), [(2.6, "2.6"), (7 / 3, "2.333"), (3.0, "3"), (0.5, "0.5"), (10.0, "10")])
def test_a_decimal_is_shown_to_at_most_three_places_without_trailing_zeros(value, text):
    assert decimal_text(value) == text


@pytest.mark.parametrize(
    ("value", "whole"),
    [(62.5, 63), (12.5, 13), (37.5, 38), (0.5, 1), (62.4, 62), (100.0, 100), (0.0, 0), (100 * 0.145, 15)],
)
def test_a_percentage_rounds_to_the_whole_number_with_halves_up(value, whole):
    # 100 × 0.145 is 14.499999999999998 in floats but 14.5 by hand, so it shows as 15.
    assert round_percent(value) == whole
