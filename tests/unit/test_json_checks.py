"""The checks a JSON file passes before anything is kept: what the file is, how much it holds, which question bank
it was made for and whether each id is one the bank knows. Each limit holds exactly at its boundary, and each
refusal or problem says what is wrong in words a board member can act on."""

from __future__ import annotations

import json

import pytest

from assessment.files.imported import ImportProblems
from assessment.files.json import MAX_ACTIONS, MAX_ANSWERS, MAX_PARTNERS, export_json, read_json
from assessment.files.safety import UploadRefused
from assessment.model import Assessment, StatementAnswer
from questions.loader import get_bank

BANK = get_bank()
FIRST = BANK.statements()[0][1].id
NOT_AN_EXPORT = "The file is JSON but not an assessment exported by the IOM self-assessment app."


def exported(**fields) -> dict:
    answers = {statement.id: StatementAnswer(choice="2") for _, statement in BANK.statements()}
    assessment = Assessment(area="Northshire", year=2026, bank_version=BANK.version, answers=answers)
    raw = json.loads(export_json(assessment))
    raw["assessment"].update(fields)
    return raw


def read(raw) -> object:
    return read_json(BANK, json.dumps(raw).encode())


def refusal(raw) -> str:
    with pytest.raises(UploadRefused) as refused:
        read(raw)
    return str(refused.value)


def problems(raw) -> str:
    with pytest.raises(ImportProblems) as found:
        read(raw)
    return str(found.value)


def test_an_export_is_laid_out_on_indented_lines_so_a_person_can_read_it():
    lines = export_json(Assessment(area="Northshire", year=2026, bank_version=BANK.version)).splitlines()
    assert lines[:2] == ["{", '  "format": "iom-self-assessment",']
    assert '    "area": "Northshire",' in lines


@pytest.mark.parametrize("raw", [[], "text", {"assessment": {}}, {"format": "another-app", "assessment": {}}])
def test_json_that_is_not_an_export_of_the_app_is_refused_in_one_sentence(raw):
    assert refusal(raw) == NOT_AN_EXPORT


@pytest.mark.parametrize(
    ("field", "limit", "what", "entry"),
    [
        ("answers", MAX_ANSWERS, "statement answers", lambda n: (f"x{n}", {"choice": "2"})),
        ("partner_answers", MAX_PARTNERS, "partners", lambda n: (f"x{n}", {})),
        ("plan", MAX_ACTIONS, "actions", lambda n: (f"x{n}", {"action_id": f"x{n}"})),
    ],
)
def test_each_count_limit_lets_a_file_at_the_limit_through_and_refuses_one_more(field, limit, what, entry):
    at_limit = exported(**{field: dict(entry(n) for n in range(limit))})
    if field == "plan":  # records of actions the plan does not suggest are kept, so the file imports
        assert len(read(at_limit).assessment.plan) == limit
    else:  # it reaches the question bank checks, which name the unknown ids
        assert f"has {limit} problems to fix" in problems(at_limit)
    over = exported(**{field: dict(entry(n) for n in range(limit + 1))})
    assert refusal(over) == (
        f"assessment.{field}: the file holds {limit + 1:,} {what}; an assessment has at most {limit:,}. "
        "Upload a .json file exported by the app."
    )


def test_an_assessment_that_is_not_an_object_is_a_problem_to_fix_not_a_crash():
    raw = exported()
    raw["assessment"] = ["Northshire", 2026]
    assert problems(raw).startswith("Nothing was imported: the JSON file has 1 problem to fix.\n- assessment: ")


def test_hidden_characters_in_the_area_s_name_are_removed_and_the_import_says_so():
    imported = read(exported(area="North\u202eshire"))
    assert imported.assessment.area == "Northshire"
    [note] = imported.changes
    assert note.startswith("assessment.area: the name of the area held hidden characters (U+202E")
    assert note.endswith("so it reads “Northshire”.")
    assert read(exported(area="Northshire")).changes == ()


def test_an_area_that_is_not_text_is_a_problem_named_by_its_field():
    message = problems(exported(area=2026))
    assert message.startswith("Nothing was imported: the JSON file has 1 problem to fix.\n- assessment.area: ")


def test_an_answer_the_model_refuses_is_listed_with_its_field():
    message = problems(exported(answers={FIRST: {"choice": "5"}}))
    assert message.startswith(
        f"Nothing was imported: the JSON file has 1 problem to fix.\n- assessment.answers.{FIRST}."
    )
    assert ".choice: " in message


def test_ids_the_question_bank_does_not_have_are_each_listed_and_nothing_is_imported():
    raw = exported(
        answers={"no-such-statement": {"choice": "2"}},
        partner_answers={"no-such-partner": {}, "police": {"no-such-question": "yes"}},
        plan={
            "p6-plan-the-exit@statement:p6-exit-strategy": {"action_id": "another-id"},
            "own-1": {"action_id": "own-1", "own": True, "what": "Meet", "partner_id": "no-such-partner"},
        },
    )
    assert problems(raw).splitlines() == [
        "Nothing was imported: the JSON file has 5 problems to fix.",
        f"- assessment.answers.no-such-statement: not a statement of question bank {BANK.version}",
        f"- assessment.partner_answers.no-such-partner: not a partner of question bank {BANK.version}",
        "- assessment.partner_answers.police.no-such-question: not a partner question",
        "- assessment.plan.p6-plan-the-exit@statement:p6-exit-strategy: the action_id inside is 'another-id'",
        "- assessment.plan.own-1.partner_id: 'no-such-partner' is not a partner",
    ]


def test_a_file_made_for_a_question_bank_newer_than_the_app_s_is_refused_naming_both_versions():
    message = refusal(exported(bank_version="2099.1"))
    assert message.startswith(
        f"This file was made for question bank version '2099.1', which this app does not know (it uses version "
        f"{BANK.version})."
    )


# ---- limits applied while the file is parsed -------------------------------------------------------------------
def with_year(number: str) -> bytes:
    return json.dumps(exported(year=0)).replace('"year": 0', f'"year": {number}').encode()


@pytest.mark.parametrize("number", ["2026.0", "2026e0", "2026E0", "20.26E2"])
def test_a_whole_number_written_as_a_decimal_or_with_an_exponent_is_read_as_that_number(number):
    assert read_json(BANK, with_year(number)).assessment.year == 2026


@pytest.mark.parametrize("number", ["1" * 40, "1." + "0" * 38, "1" + "0" * 37 + "e0"])
def test_a_number_of_40_characters_is_read_and_one_of_41_is_refused(number):
    with pytest.raises(ImportProblems):  # read, then refused by the model as no year
        read_json(BANK, with_year(number))
    with pytest.raises(UploadRefused) as refused:
        read_json(BANK, with_year(number + "0"))
    assert str(refused.value) == (
        "The file holds a number 41 characters long; no number in an export has more than 40. "
        "Upload a .json file exported by the app."
    )


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_not_a_number_and_infinity_are_refused_by_name(constant):
    with pytest.raises(UploadRefused) as refused:
        read_json(BANK, with_year(constant))
    assert str(refused.value) == (
        f"The file holds {constant}, which is not a number an export holds. Upload the file again."
    )


def test_a_file_of_100_000_values_is_read_and_one_more_is_refused_before_it_is_parsed():
    raw = exported()
    raw["assessment"]["answers"][FIRST]["evidence"] = ""
    commas = json.dumps(raw).count(",")
    raw["assessment"]["answers"][FIRST]["evidence"] = "," * (100_000 - commas)
    with pytest.raises(ImportProblems):  # past the parser: the model finds the evidence note too long
        read(raw)
    raw["assessment"]["answers"][FIRST]["evidence"] += ","
    assert refusal(raw) == (
        "The file holds more than 100,000 values, far more than any assessment has, so it was refused. "
        "Upload a .json file exported by the app."
    )


def test_a_file_of_5_000_records_is_parsed_and_one_more_stops_the_parser():
    base = exported()
    objects = json.dumps(base).count("{")  # no text in this export holds a brace
    at_limit = exported(answers={**base["assessment"]["answers"], **{f"x{n}": {} for n in range(5_000 - objects)}})
    assert json.dumps(at_limit).count("{") == 5_000
    assert refusal(at_limit).startswith("assessment.answers: the file holds")  # past the parser, stopped by the count
    over = exported(answers={**at_limit["assessment"]["answers"], "one-more": {}})
    assert refusal(over) == (
        "The file holds more than 5,000 records, far more than any assessment has, so it was refused. "
        "Upload a .json file exported by the app."
    )


def test_a_2026_1_file_that_already_answers_a_partner_new_in_2026_2_is_not_told_it_has_no_answers():
    from tests.unit.test_migration import assessment_on_2026_1

    old = assessment_on_2026_1()
    old.partner_answers["pcc"] = {"strategic-board": "yes"}
    changes = "\n".join(read_json(BANK, export_json(old).encode()).changes)
    assert "Police and Crime Commissioner" not in changes
    assert "Police and Crime Commissioner" in "\n".join(
        read_json(BANK, export_json(assessment_on_2026_1()).encode()).changes
    )
