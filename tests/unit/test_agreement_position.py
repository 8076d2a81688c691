"""The partnership's position on each statement once agencies answer separately (issue 10), in the details a
coordinator relies on: an agreed answer always wins, every agency's notes and reasons are kept with its name,
the agreement page counts and numbers statements, and the board's agenda lists the widest disagreements first.

Each test here guards a rule that the mutation run (``make mutation``) showed no other test caught."""

from __future__ import annotations

from assessment.agreement import (
    as_assessment,
    most_different,
    position_answer,
    respondent_label,
    settled,
    spread,
    statement_agreements,
    worked_agreement,
)
from assessment.model import MAX_NOTE, Agreed, Respondent, StatementAnswer
from assessment.scoring import score
from tests.factories import make_assessment, make_bank

BANK = make_bank()
STATEMENTS = [s.id for _, s in BANK.statements()]
SID = STATEMENTS[0]


def respondent(agency: str, answers=None, **fields) -> Respondent:
    return Respondent(agency=agency, answers=answers or {}, **fields)


def answers_of(**choices: str) -> dict[str, StatementAnswer]:
    """Statement id by position in the bank ('s0', 's1' ...) -> a plain answer with that choice."""
    return {STATEMENTS[int(key[1:])]: StatementAnswer(choice=value) for key, value in choices.items()}


# ---- an agreed answer always wins -------------------------------------------------------------------------------


def test_an_agreed_answer_overrides_even_a_single_respondents_answer():
    alone = respondent("police", {SID: StatementAnswer(choice="3", evidence="Board minutes")})
    agreed = make_assessment(respondents=[alone], agreed={SID: Agreed(choice="1", proposed="3", reason="Checked")})
    position = position_answer(agreed, SID, BANK)
    assert position.choice == "1"
    assert position.evidence == "Board minutes"  # the agreed answer keeps the respondent's evidence


def test_an_agreed_answer_keeps_every_agencys_evidence_notes():
    people = [
        respondent("police", {SID: StatementAnswer(choice="3", evidence="Board minutes")}),
        respondent("housing", {SID: StatementAnswer(choice="1", evidence="Panel notes")}),
    ]
    agreed = make_assessment(respondents=people, agreed={SID: Agreed(choice="2", proposed="1", reason="Met today")})
    assert position_answer(agreed, SID, BANK).evidence == "Police: Board minutes\nHousing: Panel notes"


# ---- why a statement does not apply ---------------------------------------------------------------------------


def not_applicable(reason: str) -> StatementAnswer:
    return StatementAnswer(choice="not_applicable", na_reason=reason)


def test_when_no_agency_gives_a_level_each_agencys_reason_for_not_applicable_is_kept_with_its_name():
    people = [
        respondent("police", {SID: not_applicable("No such service here")}),
        respondent("housing", {SID: not_applicable("Housing has no role in this")}),
        # a reason left behind on an answer that is no longer 'Not applicable' is not a reason for it
        respondent("probation", {SID: StatementAnswer(choice=None, na_reason="Left over")}),
    ]
    position = position_answer(make_assessment(respondents=people), SID, BANK)
    assert position.choice == "not_applicable"
    assert position.na_reason == "Police: No such service here\nHousing: Housing has no role in this"


def test_a_proposed_level_carries_no_reason_for_not_applicable():
    people = [
        respondent("police", {SID: StatementAnswer(choice="2")}),
        respondent("housing", {SID: not_applicable("No such service here")}),
    ]
    position = position_answer(make_assessment(respondents=people), SID, BANK)
    assert (position.choice, position.na_reason) == ("2", "")


def test_an_agreed_not_applicable_keeps_the_coordinators_reason_or_else_the_agencies_reasons():
    people = [
        respondent("police", {SID: not_applicable("No such service here")}),
        respondent("housing", {SID: not_applicable("Housing has no role in this")}),
    ]
    with_reason = make_assessment(
        respondents=people, agreed={SID: Agreed(choice="not_applicable", proposed="1", reason="Service closed")}
    )
    assert position_answer(with_reason, SID, BANK).na_reason == "Service closed"
    accepted = make_assessment(
        respondents=people, agreed={SID: Agreed(choice="not_applicable", proposed="not_applicable")}
    )
    assert position_answer(accepted, SID, BANK).na_reason == (
        "Police: No such service here\nHousing: Housing has no role in this"
    )


def test_an_agreed_level_carries_no_reason_for_not_applicable():
    people = [
        respondent("police", {SID: not_applicable("No such service here")}),
        respondent("housing", {SID: StatementAnswer(choice="2")}),
    ]
    agreed = make_assessment(respondents=people, agreed={SID: Agreed(choice="3", proposed="2", reason="Seen it")})
    assert (position_answer(agreed, SID, BANK).choice, position_answer(agreed, SID, BANK).na_reason) == ("3", "")


# ---- evidence notes, each with its agency ----------------------------------------------------------------------


def test_the_partnerships_answers_label_each_note_with_the_partners_name_from_the_bank():
    people = [
        respondent("police", {SID: StatementAnswer(choice="2", evidence="Board minutes")}),
        respondent("other", {SID: StatementAnswer(choice="3", evidence="Our records")}, agency_name="Shelter North"),
    ]
    settled_answers = settled(make_assessment(respondents=people), BANK).answers
    assert settled_answers[SID].evidence == "Police: Board minutes\nShelter North: Our records"


def test_without_the_bank_each_note_is_labelled_with_the_agency_or_the_name_given():
    people = [
        respondent("police", {SID: StatementAnswer(choice="2", evidence="Board minutes")}),
        respondent("other", {SID: StatementAnswer(choice="3", evidence="Our records")}, agency_name="Shelter North"),
    ]
    assert position_answer(make_assessment(respondents=people), SID).evidence == (
        "police: Board minutes\nShelter North: Our records"
    )


def test_notes_joined_at_exactly_the_length_of_a_note_are_kept_whole():
    police_note = "p" * 2491
    housing_note = "h" * 2491
    people = [
        respondent("police", {SID: StatementAnswer(choice="2", evidence=police_note)}),
        respondent("housing", {SID: StatementAnswer(choice="2", evidence=housing_note)}),
    ]
    evidence = position_answer(make_assessment(respondents=people), SID, BANK).evidence
    assert evidence == f"Police: {police_note}\nHousing: {housing_note}"
    assert len(evidence) == MAX_NOTE


def test_notes_joined_beyond_the_length_of_a_note_are_cut_to_it_with_an_ellipsis():
    people = [
        respondent("police", {SID: StatementAnswer(choice="2", evidence="p" * 3000)}),
        respondent("housing", {SID: StatementAnswer(choice="2", evidence="h" * 3000)}),
    ]
    evidence = position_answer(make_assessment(respondents=people), SID, BANK).evidence
    assert len(evidence) == MAX_NOTE
    assert evidence.startswith("Police: ppp")
    assert evidence.endswith("hhh…")


def test_an_agency_no_longer_in_the_bank_is_named_by_the_name_given_or_else_by_its_agency():
    named = respondent("youth_offending", agency_name="Youth Offending Team")
    unnamed = respondent("youth_offending")
    assert respondent_label(BANK, named) == "Youth Offending Team"
    assert respondent_label(BANK, unnamed) == "youth_offending"


def test_a_respondents_own_scorecard_is_measured_against_the_partnerships_targets():
    police = respondent("police", answers_of(s0="2"))
    assessment = make_assessment(respondents=[police], targets={1: 4})
    assert score(BANK, as_assessment(assessment, police)).principle(1).target == 4


# ---- the agreement page -----------------------------------------------------------------------------------------


def test_the_agreement_page_numbers_statements_by_principle_and_counts_the_respondents_at_each_level():
    people = [
        respondent("police", answers_of(s0="2", s5="1")),
        respondent("housing", answers_of(s0="2")),
        respondent("probation", answers_of(s0="dont_know")),
    ]
    rows = statement_agreements(BANK, make_assessment(respondents=people))
    first, sixth = rows[0], rows[5]
    assert (first.number, sixth.number) == ("1.1", "2.2")
    assert (first.count("2"), first.count("dont_know"), first.count("3"), first.count(None)) == (2, 1, 0, 0)
    assert (sixth.count("1"), sixth.count(None)) == (1, 2)


def test_how_far_apart_the_levels_are_counts_levels_only():
    assert spread(["0", "dont_know", "4", "not_applicable"]) == 4
    assert spread(["3", "3"]) == 0
    assert spread(["dont_know", "not_applicable", None]) == 0


def test_where_partners_see_it_most_differently_orders_by_how_far_apart_not_by_how_high():
    people = [
        respondent("police", answers_of(s0="2", s1="0")),
        respondent("housing", answers_of(s0="4", s1="3")),
    ]
    rows = statement_agreements(BANK, make_assessment(respondents=people))
    assert [r.number for r in most_different(rows)] == ["1.2", "1.1"]  # 0 and 3 differ more than 2 and 4


def test_where_partners_see_it_most_differently_puts_more_reasons_first_when_the_spread_is_the_same():
    people = [
        respondent("police", answers_of(s0="1", s1="1")),
        respondent("housing", answers_of(s0="3", s1="3")),
        respondent("probation", answers_of(s1="dont_know")),
    ]
    rows = statement_agreements(BANK, make_assessment(respondents=people))
    assert [r.number for r in most_different(rows)] == ["1.2", "1.1"]


def test_where_partners_see_it_most_differently_lists_five_statements_for_the_board():
    people = [
        respondent("police", {sid: StatementAnswer(choice="0") for sid in STATEMENTS[:7]}),
        respondent("housing", {sid: StatementAnswer(choice="4") for sid in STATEMENTS[:7]}),
    ]
    rows = statement_agreements(BANK, make_assessment(respondents=people))
    assert [r.number for r in most_different(rows)] == ["1.1", "1.2", "1.3", "1.4", "2.1"]


# ---- the worked example -----------------------------------------------------------------------------------------


def test_the_worked_example_names_every_agencys_answer_and_works_the_two_agency_case_through():
    lines = worked_agreement()
    assert lines[0] == "Four agencies answer one statement: Police 3, Probation 2, Housing 1, Health Don't know."
    assert lines[3] == (
        "Had only Police (3) and Probation (2) answered, the two middle levels would be 2 and 3: the proposal is "
        "the lower, 2, and it is not flagged, because the levels differ by 1."
    )
