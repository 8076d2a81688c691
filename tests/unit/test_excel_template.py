"""The blank template: every statement with its levels, dropdowns, protected layout and hidden metadata."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assessment.files.excel.layout import FORMAT_VERSION, statement_refs
from assessment.files.excel.template import build_template
from assessment.wording import answer_words
from questions.loader import get_bank
from tests.unit.excel_helpers import assert_prints_readably, column_of, printed_columns

BANK = get_bank()


@pytest.fixture(scope="module")
def template():
    return load_workbook(io.BytesIO(build_template(BANK)))


def validations(sheet) -> dict[str, str]:
    return {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}


def test_the_template_has_instructions_area_details_responses_partners_and_hidden_metadata(template):
    assert template.sheetnames == ["Instructions", "Area details", "Responses", "Partners", "Metadata"]
    assert template["Metadata"].sheet_state == "hidden"
    meta = {row[0].value: row[1].value for row in template["Metadata"].iter_rows()}
    assert meta["bank_version"] == BANK.version
    assert meta["format_version"] == str(FORMAT_VERSION)
    assert meta["kind"] == "template"


def test_every_statement_is_listed_with_its_five_level_descriptions(template):
    sheet = template["Responses"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert sheet["A3"].value == "No." and sheet["L3"].value == "Ref"
    assert [row[0] for row in rows] == [statement_refs(BANK)[s.id] for _, s in BANK.statements()]
    assert [row[11] for row in rows] == [s.id for _, s in BANK.statements()]
    for row, (_, statement) in zip(rows, BANK.statements(), strict=True):
        assert row[2] == statement.text
        assert tuple(row[6:11]) == statement.levels
        assert row[3] is None


def test_answers_have_dropdowns_of_levels_dont_know_and_not_applicable(template):
    last = 3 + len(BANK.statements())
    found = validations(template["Responses"])
    assert found[f"D4:D{last}"] == '"' + ",".join(answer_words(BANK)) + '"'
    assert "Don't know" in found[f"D4:D{last}"] and "Not applicable" in found[f"D4:D{last}"]
    partners = validations(template["Partners"])
    assert list(partners.values()) == ['"Yes,Partly,No,Don\'t know"']


def test_only_the_answer_cells_are_unlocked_and_the_sheets_are_protected(template):
    responses = template["Responses"]
    assert responses.protection.sheet
    assert template.security.lockStructure
    for column in "DEF":
        assert not responses[f"{column}4"].protection.locked
    for column in "ABCG":
        assert responses[f"{column}4"].protection.locked
    details = template["Area details"]
    assert not details["B3"].protection.locked and not details["B4"].protection.locked
    assert details["A3"].protection.locked
    partners = template["Partners"]
    assert not partners["B4"].protection.locked and partners["A4"].protection.locked
    assert partners.cell(4, partners.max_column).protection.locked  # the Ref column
    assert partners.protection.sheet and template["Instructions"].protection.sheet


def test_the_partner_grid_lists_every_partner_and_indicator(template):
    sheet = template["Partners"]
    partners = range(4, 4 + len(BANK.partners.partners))
    assert [sheet.cell(row, 1).value for row in partners] == [p.name for p in BANK.partners.partners]
    ref = column_of(sheet, "Ref")
    assert ref == 2 + len(BANK.partners.indicators)
    assert [sheet.cell(row, ref).value for row in partners] == [p.id for p in BANK.partners.partners]
    headings = [sheet.cell(3, column).value for column in range(2, 2 + len(BANK.partners.indicators))]
    assert sorted(headings) == sorted(i.text for i in BANK.partners.indicators)


def test_every_sheet_prints_at_a_readable_size_and_the_responses_repeat_their_header(template):
    for sheet in template.worksheets[:-1]:
        assert_prints_readably(sheet)
    responses = template["Responses"]
    assert printed_columns(responses) == 11  # the five level descriptions print; the Ref ids do not
    assert int(responses.page_setup.paperSize) == 8  # A3
    assert responses.print_title_rows == "$3:$3"
    assert printed_columns(template["Partners"]) < column_of(template["Partners"], "Ref")


def test_the_instructions_are_in_plain_words(template):
    texts = [cell.value for row in template["Instructions"].iter_rows() for cell in row if cell.value]
    assert texts[0] == "IOM partnership self-assessment: the form to fill in offline"
    assert any(
        "Each principle's target is 3 Established. Change it if your board is aiming for a different level." in text
        for text in texts
    )
    assert not any("return" in text.lower().split() for text in texts)
