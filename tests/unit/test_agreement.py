"""The agreement rule (issue 10): the proposed level is the lower median of the respondents' levels, Don't know
and Not applicable are counted but not scored, and a statement is flagged when levels differ by two or more or
when one says Don't know while another gives a level."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.agreement import (
    agreement_steps,
    flag_reasons,
    is_flagged,
    lower_median,
    most_different,
    not_yet_agreed,
    position_answer,
    propose,
    propose_partner,
    settled,
    statement_agreements,
    worked_agreement,
)
from assessment.model import Agreed, Assessment, Respondent, StatementAnswer
from assessment.partnership import moderated_principles, principle_ranges, progress, self_ratings
from assessment.scoring import score
from tests.factories import make_assessment, make_bank

BANK = make_bank()
STATEMENTS = [s.id for _, s in BANK.statements()]
CHOICES = ["0", "1", "2", "3", "4", "dont_know", "not_applicable", None]

choice = st.sampled_from(CHOICES)
answer = st.builds(
    lambda c, note: StatementAnswer(
        choice=c, evidence=note, na_reason="No such service here" if c == "not_applicable" and note else ""
    ),
    choice,
    st.sampled_from(["", "Minutes of the May board"]),
)
answers = st.dictionaries(st.sampled_from(STATEMENTS), answer, max_size=len(STATEMENTS))
partner_value = st.sampled_from(["yes", "partly", "no", "dont_know"])
partner_grid = st.dictionaries(
    st.sampled_from(["police", "probation", "housing"]),
    st.dictionaries(st.sampled_from(["board", "vision", "meetings", "contact"]), partner_value, max_size=4),
    max_size=3,
)


def respondent(agency: str = "police", answers=None, partner_answers=None, **fields) -> Respondent:
    return Respondent(agency=agency, answers=answers or {}, partner_answers=partner_answers or {}, **fields)


def with_respondents(*respondents: Respondent, **fields) -> Assessment:
    return settled(make_assessment(respondents=list(respondents), **fields), BANK)


# ---- the rule on one statement, every small case worked through ----------------------------------------------


@pytest.mark.parametrize(
    ("choices", "proposed"),
    [
        (["3"], "3"),
        (["1", "3"], "1"),  # two middle levels: the lower
        (["3", "1", "2"], "2"),
        (["4", "0", "0", "4"], "0"),
        (["2", "dont_know"], "2"),  # Don't know is counted, not scored
        (["2", "not_applicable", "not_applicable"], "2"),
        (["dont_know", "not_applicable"], "dont_know"),
        (["not_applicable", None], "not_applicable"),
        ([None, None], None),
        ([], None),
    ],
)
def test_the_proposal_is_the_lower_median_of_the_levels(choices, proposed):
    assert propose(choices) == proposed


def test_the_lower_median_matches_sorting_by_hand_for_every_list_of_up_to_four_levels():
    for size in range(1, 5):
        for levels in itertools.product(range(5), repeat=size):
            ordered = sorted(levels)
            middle = ordered[(size - 1) // 2] if size % 2 else min(ordered[size // 2 - 1], ordered[size // 2])
            assert lower_median(list(levels)) == middle


@pytest.mark.parametrize(
    ("choices", "flagged"),
    [
        (["1", "3"], True),  # differ by two
        (["1", "2"], False),
        (["0", "4", "2"], True),
        (["2", "dont_know"], True),  # one says Don't know, another gives a level
        (["dont_know", "dont_know"], False),
        (["dont_know", "not_applicable"], False),
        (["2", "not_applicable"], False),
        (["3", None], False),
    ],
)
def test_a_statement_is_flagged_when_levels_differ_by_two_or_a_dont_know_meets_a_level(choices, flagged):
    assert is_flagged(choices) is flagged


def test_the_flag_says_why():
    assert flag_reasons(["0", "3", "dont_know"]) == [
        "levels differ by 3",
        "one says Don't know while another gives a level",
    ]


def test_partner_answers_take_the_lower_median_of_no_partly_yes():
    assert propose_partner(["yes", "no"]) == "no"
    assert propose_partner(["yes", "partly", "dont_know"]) == "partly"
    assert propose_partner(["dont_know", None]) == "dont_know"
    assert propose_partner([None]) is None


# ---- properties -----------------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(answers, partner_grid)
def test_one_respondent_gives_exactly_todays_scorecard(given_answers, grid):
    alone = Assessment(area="Testshire", year=2026, bank_version="test-1", answers=given_answers, partner_answers=grid)
    one = with_respondents(respondent(answers=given_answers, partner_answers=grid))
    assert score(BANK, one) == score(BANK, alone)
    assert one.answers == {k: v for k, v in given_answers.items() if not v.is_empty}


@settings(max_examples=100, deadline=None)
@given(choice, st.integers(min_value=1, max_value=6))
def test_unanimous_respondents_give_their_shared_answer(shared, count):
    assert propose([shared] * count) == shared
    assert not is_flagged([shared] * count)


@settings(max_examples=100, deadline=None)
@given(st.lists(choice, min_size=1, max_size=7))
def test_adding_a_respondent_who_agrees_with_the_median_never_changes_it(choices):
    proposed = propose(choices)
    assert propose([*choices, proposed]) == proposed


@settings(max_examples=100, deadline=None)
@given(st.lists(choice, min_size=1, max_size=7), st.randoms(use_true_random=False))
def test_the_order_of_respondents_never_matters(choices, random):
    shuffled = list(choices)
    random.shuffle(shuffled)
    assert propose(shuffled) == propose(choices)
    assert is_flagged(shuffled) == is_flagged(choices)


@settings(max_examples=100, deadline=None)
@given(st.lists(answers, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_the_order_of_respondents_never_changes_the_scorecard(each, random):
    people = [respondent(agency="other", agency_name=f"Agency {n}", answers=a) for n, a in enumerate(each)]
    shuffled = list(people)
    random.shuffle(shuffled)
    assert score(BANK, with_respondents(*people)) == score(BANK, with_respondents(*shuffled))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["0", "1", "2", "3", "4"]), min_size=1, max_size=7))
def test_the_proposal_is_never_above_half_the_levels_given(choices):
    proposed = int(propose(choices))
    assert sum(1 for c in choices if int(c) <= proposed) * 2 >= len(choices)


# ---- the position: agreed where agreed, else proposed ------------------------------------------------------------


def test_the_scorecard_uses_the_agreed_level_and_the_proposal_where_nothing_is_agreed():
    first, second = STATEMENTS[0], STATEMENTS[1]
    people = [
        respondent("police", {first: StatementAnswer(choice="4"), second: StatementAnswer(choice="1")}),
        respondent("probation", {first: StatementAnswer(choice="1"), second: StatementAnswer(choice="3")}),
    ]
    proposed = with_respondents(*people)
    assert (proposed.answers[first].choice, proposed.answers[second].choice) == ("1", "1")
    agreed = with_respondents(*people, agreed={first: Agreed(choice="3", proposed="1", reason="Seen at the board")})
    assert (agreed.answers[first].choice, agreed.answers[second].choice) == ("3", "1")
    assert not_yet_agreed(BANK, agreed) == set(STATEMENTS) - {first}


def test_an_agreed_level_other_than_the_proposal_needs_a_reason():
    with pytest.raises(ValueError, match="reason"):
        Agreed(choice="3", proposed="1")
    assert Agreed(choice="1", proposed="1").reason == ""


def test_evidence_notes_of_several_respondents_are_kept_with_their_agency():
    sid = STATEMENTS[0]
    combined = position_answer(
        make_assessment(
            respondents=[
                respondent("police", {sid: StatementAnswer(choice="2", evidence="Board minutes")}),
                respondent("housing", {sid: StatementAnswer(choice="3", evidence="Housing panel notes")}),
            ]
        ),
        sid,
        BANK,
    )
    assert combined.evidence == "Police: Board minutes\nHousing: Housing panel notes"


def test_an_assessment_nobody_answers_separately_is_left_as_the_board_answered_it():
    board = make_assessment({STATEMENTS[0]: "2"})
    assert settled(board, BANK) is board
    assert not_yet_agreed(BANK, board) == set()


def test_where_partners_see_it_most_differently_puts_the_widest_spread_first():
    a, b, c = STATEMENTS[:3]
    people = [
        respondent(
            "police", {a: StatementAnswer(choice="0"), b: StatementAnswer(choice="1"), c: StatementAnswer(choice="2")}
        ),
        respondent(
            "housing", {a: StatementAnswer(choice="4"), b: StatementAnswer(choice="3"), c: StatementAnswer(choice="2")}
        ),
    ]
    rows = statement_agreements(BANK, with_respondents(*people))
    assert [r.statement.id for r in most_different(rows)] == [a, b]


# ---- ranges, progress, self-rating and moderation -------------------------------------------------------------


def test_the_range_of_respondents_principle_scores_beside_the_agreed_score():
    first = [s.id for s in BANK.principles[0].statements]
    low = {sid: StatementAnswer(choice="1") for sid in first}
    high = {sid: StatementAnswer(choice="3") for sid in first}
    ranges = principle_ranges(BANK, with_respondents(respondent("police", low), respondent("housing", high)))
    assert (ranges[1].low, ranges[1].high) == (1.0, 3.0)
    assert ranges[1].text() == "1.0 to 3.0 (2 of 2 respondents scored)"
    assert ranges[2].text() == "No respondent has a score yet"


def test_progress_says_how_far_each_respondent_has_got():
    half = {sid: StatementAnswer(choice="2") for sid in STATEMENTS[:12]}
    rows = progress(BANK, with_respondents(respondent("police", half), respondent("housing")))
    assert [(r.label, r.statements, r.started) for r in rows] == [("Police", 12, True), ("Housing", 0, False)]
    assert rows[0].statements_total == len(STATEMENTS)
    assert not rows[0].finished


def test_an_agency_rating_its_own_involvement_higher_than_the_others_is_flagged():
    own = {"housing": {"board": "yes", "vision": "yes"}}
    others = {"housing": {"board": "no", "vision": "partly"}}
    ratings = self_ratings(
        BANK,
        with_respondents(respondent("housing", partner_answers=own), respondent("police", partner_answers=others)),
    )
    assert [(r.agency, r.level, r.own, r.others, r.higher) for r in ratings] == [
        ("Housing", "strategic", 100.0, 25.0, True)
    ]
    assert ratings[0].others_count == 1


def test_moderation_sits_beside_the_self_assessed_score_with_the_difference():
    from assessment.model import Moderation

    first = {s.id: "3" for s in BANK.principles[0].statements}
    assessment = make_assessment(first, moderation=[Moderation(principle=1, level=2, reason="Minutes show less")])
    rows = moderated_principles(BANK, assessment, score(BANK, assessment))
    assert (rows[0].self_assessed, rows[0].moderation.level, rows[0].difference) == (3.0, 2, -1.0)
    assert rows[1].moderation is None and rows[1].difference is None


# ---- the published rule --------------------------------------------------------------------------------------


def test_the_published_rule_states_the_lower_middle_level_and_the_flags():
    text = " ".join(agreement_steps())
    assert "lower of the two middle levels" in text
    assert "differ by 2 or more" in text


def test_the_worked_example_is_computed_by_the_rule():
    lines = worked_agreement()
    assert lines[1].endswith("the proposed level is 2.")
    assert "levels differ by 2 and one says Don't know while another gives a level" in lines[2]
    assert "the proposal is the lower, 2, and it is not flagged" in lines[3]


def test_compare_shows_the_inspected_level_beside_the_self_assessed_score():
    from assessment.comparison import compare, moderation_rows
    from assessment.model import Moderation

    first = {s.id: "3" for s in BANK.principles[0].statements}
    moderated = make_assessment(first, moderation=[Moderation(principle=1, level=2, reason="Less")])
    rows = moderation_rows(BANK, compare(BANK, [moderated, make_assessment(first, area="Northshire")]))
    assert [(r["Principle"], r["Self-assessed"], r["Inspected"], r["Difference"]) for r in rows] == [
        ("1. Principle number 1", "3.0", "2 Developing", "-1.0")
    ]
