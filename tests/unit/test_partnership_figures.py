"""What the coordinator and the board see once agencies answer separately (issue 10): how far each agency has got
and who has not answered, the range of their own principle scores, where an agency rates its own involvement
higher than the others do, each agency's partner answers side by side, and the inspector's moderated levels.

Each test here guards a rule that the mutation run (``make mutation``) showed no other test caught."""

from __future__ import annotations

from assessment.agreement import settled
from assessment.model import Moderation, Respondent, StatementAnswer
from assessment.partnership import (
    difference_text,
    moderated_principles,
    not_answered,
    partner_views,
    principle_ranges,
    progress,
    self_ratings,
)
from assessment.scoring import score
from tests.factories import PARTNER_IDS, make_assessment, make_bank

BANK = make_bank()
STATEMENTS = [s.id for _, s in BANK.statements()]
INDICATORS = ("board", "vision", "meetings", "contact")


def respondent(agency: str, answers=None, partner_answers=None, **fields) -> Respondent:
    return Respondent(agency=agency, answers=answers or {}, partner_answers=partner_answers or {}, **fields)


def with_respondents(*people: Respondent, **fields):
    return settled(make_assessment(respondents=list(people), **fields), BANK)


# ---- who has answered, and how far -----------------------------------------------------------------------------


def test_progress_counts_the_partner_questions_the_bank_asks_and_an_agency_that_answered_everything_has_finished():
    everything = {pid: dict.fromkeys(INDICATORS, "yes") for pid in PARTNER_IDS}
    # answers kept from an earlier bank: a partner and a question it no longer asks about
    everything["youth_offending"] = {"board": "yes"}
    everything["police"] = {**everything["police"], "old_question": "no"}
    police = respondent("police", {sid: StatementAnswer(choice="2") for sid in STATEMENTS}, partner_answers=everything)
    housing = respondent(
        "housing", partner_answers={"police": {"board": "no", "vision": "yes"}, "prison": {"board": "no"}}
    )
    rows = progress(BANK, with_respondents(police, housing))
    assert [(r.label, r.partner_answers, r.partner_total) for r in rows] == [("Police", 24, 24), ("Housing", 3, 24)]
    assert (rows[0].finished, rows[1].finished, rows[1].started) == (True, False, True)


def test_the_coordinator_sees_which_partners_and_which_members_have_not_answered():
    people = [respondent("police", user="Sam.Jones@x.example"), respondent("housing")]
    partners, members = not_answered(BANK, make_assessment(respondents=people), ["sam.jones@X.example", "jo@x.example"])
    assert partners == ["Probation", "Mental_Health", "Alcohol_Treatment", "Prison"]
    assert members == ["jo@x.example"]


# ---- the range of the respondents' own principle scores --------------------------------------------------------


def test_the_range_is_one_score_when_every_respondent_scores_the_principle_the_same():
    first = [s.id for s in BANK.principles[0].statements]
    second = [s.id for s in BANK.principles[1].statements]
    police = respondent("police", {sid: StatementAnswer(choice="2") for sid in first + second})
    housing = respondent("housing", {sid: StatementAnswer(choice="2") for sid in first})
    ranges = principle_ranges(BANK, with_respondents(police, housing))
    assert ranges[1].text() == "2.0 (2 of 2 respondents scored)"
    assert ranges[2].text() == "2.0 (1 of 2 respondents scored)"


# ---- an agency rating its own involvement ---------------------------------------------------------------------


def test_an_agency_is_compared_with_the_mean_of_every_other_agencys_rating_of_it():
    ratings = self_ratings(
        BANK,
        with_respondents(
            respondent("housing", partner_answers={"housing": {"board": "yes", "vision": "yes"}}),
            respondent("police", partner_answers={"housing": {"board": "no", "vision": "no"}}),
            respondent("probation", partner_answers={"housing": {"board": "yes", "vision": "no"}}),
        ),
    )
    assert [(r.partner, r.level, r.own, r.others, r.others_count, r.higher) for r in ratings] == [
        ("Housing", "strategic", 100.0, 25.0, 2, True)
    ]


def test_self_rating_is_shown_only_at_a_level_where_the_agency_and_another_both_rated_it():
    ratings = self_ratings(
        BANK,
        with_respondents(
            # Housing rates only its own operational involvement; Police rates both levels of it
            respondent("housing", partner_answers={"housing": {"meetings": "yes", "contact": "yes"}}),
            respondent("police", partner_answers={"housing": dict.fromkeys(INDICATORS, "partly")}),
        ),
    )
    assert [(r.agency, r.level, r.own, r.others) for r in ratings] == [("Housing", "operational", 100.0, 50.0)]


def test_an_agency_that_is_not_one_of_the_partners_does_not_stop_the_others_self_ratings():
    ratings = self_ratings(
        BANK,
        with_respondents(
            respondent("other", agency_name="Shelter North", partner_answers={"housing": {"board": "no"}}),
            respondent("housing", partner_answers={"housing": {"board": "yes"}}),
        ),
    )
    assert [(r.agency, r.level, r.own, r.others) for r in ratings] == [("Housing", "strategic", 100.0, 0.0)]


# ---- each agency's partner answers side by side --------------------------------------------------------------


def test_each_agencys_answers_about_every_partner_sit_side_by_side():
    rows = partner_views(
        BANK,
        make_assessment(
            respondents=[
                respondent("police", name="Sam", partner_answers={"housing": {"board": "yes", "vision": "dont_know"}}),
                respondent("housing", partner_answers={"housing": {"board": "partly"}}),
            ]
        ),
    )
    assert len(rows) == len(PARTNER_IDS) * len(INDICATORS)
    assert rows[0] == {"Partner": "Police", "Question": "Board", "Police (Sam)": "", "Housing": ""}
    housing = [r for r in rows if r["Partner"] == "Housing"]
    assert housing[:2] == [
        {"Partner": "Housing", "Question": "Board", "Police (Sam)": "Yes", "Housing": "Partly"},
        {"Partner": "Housing", "Question": "Vision", "Police (Sam)": "Don't know", "Housing": ""},
    ]


# ---- the inspector's moderation --------------------------------------------------------------------------------


def test_the_inspected_level_is_shown_with_the_principles_name():
    first = {s.id: "3" for s in BANK.principles[0].statements}
    assessment = make_assessment(first, moderation=[Moderation(principle=1, level=2, reason="Minutes show less")])
    rows = moderated_principles(BANK, assessment, score(BANK, assessment))
    assert (rows[0].number, rows[0].name) == (1, "Principle number 1")


def test_the_difference_reads_with_its_sign_the_same_when_none_and_blank_with_nothing_to_compare():
    assert difference_text(-1.0) == "-1.0"
    assert difference_text(0.5) == "+0.5"
    assert difference_text(1.0) == "+1.0"
    assert difference_text(0.0) == "0.0 (the same)"
    assert difference_text(None) == ""
