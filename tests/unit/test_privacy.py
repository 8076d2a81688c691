"""Notes that look like personal data about an individual get a warning; ordinary notes do not."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from assessment.files.excel.report import build_report
from assessment.files.json import export_json
from assessment.model import ActionEdit, StatementAnswer
from assessment.privacy import MASKED_NOTE, find_personal_data, free_text, mask_assessment, mask_personal_data
from assessment.services import example_assessment
from questions.loader import get_bank


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Offender 12/345678A was discussed", "PNC"),
        ("NI number QQ 12 34 56 C", "National Insurance"),
        ("NI AB123456C on file", "National Insurance"),
        ("DOB 03/04/1988", "date of birth"),
        ("born on 3 April 1988", "date of birth"),
        ("seen 14/02/1991 at the hostel", "date of birth"),
        ("contact j.smith@example.org for details", "email"),
        ("ring 07700 900123", "phone"),
        ("call +44 7700 900123", "phone"),
        ("office 0113 496 0000", "phone"),
        ("lives near LS1 4AP", "postcode"),
        ("moved to sw1a 2aa last month", "postcode"),
        ("M1 1AE", "postcode"),
        ("NHS no. 943 476 5919", "NHS number"),
        ("nhs 9434765919", "NHS number"),
        ("CRO 123456/08X", "CRO"),
        ("CRO number SF08/123456X", "CRO"),
        ("prison number A1234BC", "prison number"),
        ("PNC 2012/345678A", "PNC"),
        ("d.o.b. 10/10/2009", "date of birth"),
        ("born 3 Apr 2009", "date of birth"),
    ],
)
def test_personal_details_are_spotted(text, kind):
    kinds = [w.kind for w in find_personal_data(text)]
    assert any(kind.lower() in k.lower() for k in kinds), kinds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Information-sharing agreement signed by all partners in 2024",
        "Minutes of the operational meeting, 12/03/2025",
        "About 40% of the cohort have a named contact; 12 of 30 cases reviewed",
        "Strategic board meets every 6 weeks; see board paper 2025/07",
        "Plan for 2024/25 agreed; review in Q3 2026",
        "Housing navigator post is 0.5 FTE, funded to March 2027",
        "Meeting on 10/10/2009 agreed the first cohort",
        "Board met on 3 April 2025 and 14.05.2024",
        "Budget of £1,234,567 for 2025/26; ISO 27001 and version 2026.1",
        "A 10-digit reference that fails the NHS check: 943 476 5918",
        "Action A12 due in week 34; 12 of 30 cases reviewed",
    ],
)
def test_ordinary_partnership_notes_get_no_warning(text):
    assert find_personal_data(text) == []


def test_the_warning_masks_the_detail_it_found_and_says_exports_are_masked():
    [warning] = find_personal_data("email j.smith@example.org")
    assert "j.smith@example.org" not in warning.message()
    assert "j******@example.org" in warning.message()
    assert "partnership" in warning.message()
    assert "show it masked" in warning.message()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("NI number AB 12 34 56 C", "NI number AB ** ** ** C"),
        ("NI AB123456C on file", "NI AB******C on file"),
        ("see 12/345678A and 123456/08X", "see **/******A and ******/**X"),
        ("NHS 943 476 5919, prison no A1234BC", "NHS *** *** ****, prison no A****BC"),
        ("lives at LS1 4AP", "lives at LS1 ***"),
        ("mail j.smith@example.org", "mail j******@example.org"),
        ("DOB 03/04/1988; ring 07700 900123", "DOB **/**/****; ring ***** ******"),
        ("Minutes of 10/10/2009 and plan for 2024/25", "Minutes of 10/10/2009 and plan for 2024/25"),
    ],
)
def test_exports_mask_each_flagged_fragment_and_nothing_else(text, masked):
    assert mask_personal_data(text) == masked
    assert find_personal_data(mask_personal_data(text)) == []


def test_every_free_text_field_is_checked_including_an_own_actions_what():
    action = ActionEdit(action_id="own-1", own=True, what="Visit A1234BC at home", lead="Housing")
    assert [w.kind for w in find_personal_data(free_text(action))] == ["a prison number"]
    answer = StatementAnswer(choice="not_applicable", na_reason="see LS1 4AP")
    assert [w.kind for w in find_personal_data(free_text(answer))] == ["a postcode"]


def test_the_export_copy_is_masked_and_the_saved_assessment_is_not():
    bank = get_bank()
    assessment = example_assessment(bank, year=2026)
    statement = bank.statements()[0][1].id
    assessment.answers[statement] = StatementAnswer(choice="2", evidence="Case AB 12 34 56 C discussed")
    assessment.plan = {"own-1": ActionEdit(action_id="own-1", own=True, what="Write to j.smith@example.org")}
    masked = mask_assessment(assessment)
    assert masked.answers_masked and masked.plan_masked
    assert masked.assessment.answers[statement].evidence == "Case AB ** ** ** C discussed"
    assert masked.assessment.plan["own-1"].what == "Write to j******@example.org"
    assert assessment.answers[statement].evidence == "Case AB 12 34 56 C discussed"
    clean = example_assessment(bank, year=2026)
    assert mask_assessment(clean).assessment is clean and not mask_assessment(clean).any_masked


def test_the_report_and_the_json_export_mask_flagged_notes_and_say_so_on_the_sheet():

    bank = get_bank()
    assessment = example_assessment(bank, year=2026)
    statement = bank.statements()[0][1].id
    assessment.answers[statement] = StatementAnswer(choice="2", evidence="Case AB 12 34 56 C discussed")
    workbook = load_workbook(io.BytesIO(build_report(bank, assessment)))
    cells = [str(c.value) for row in workbook["Responses"].iter_rows() for c in row if c.value]
    assert "Case AB ** ** ** C discussed" in cells
    assert not any(
        "AB 12 34 56 C" in text
        for sheet in workbook
        for row in sheet.iter_rows()
        for text in map(str, (c.value for c in row))
    )
    for name in ("Summary", "Principles", "Responses"):
        assert MASKED_NOTE in workbook[name]["A2"].value
    assert MASKED_NOTE not in str(workbook["Action plan"]["A2"].value)
    exported = json.loads(export_json(assessment))
    assert exported["assessment"]["answers"][statement]["evidence"] == "Case AB ** ** ** C discussed"
    assert assessment.answers[statement].evidence == "Case AB 12 34 56 C discussed"


def test_a_report_with_nothing_flagged_has_no_masking_note():

    bank = get_bank()
    workbook = load_workbook(io.BytesIO(build_report(bank, example_assessment(bank, year=2026))))
    assert all(MASKED_NOTE not in str(sheet["A2"].value) for sheet in workbook)
