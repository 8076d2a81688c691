"""A corpus of bad files, each built here: every one is refused with its own message and the store is unchanged."""

from __future__ import annotations

import io
import json
import random
import re
import zipfile

import openpyxl
import pytest

from assessment.files.excel.report import build_report
from assessment.files.json import export_json
from assessment.model import ActionEdit, AssessmentError
from assessment.services import example_assessment, read_upload, save_import
from assessment.store import Store
from questions.loader import get_bank
from tests.unit.excel_helpers import edit, fill_template, part, rezip, sheet_part, typed

BANK = get_bank()
FIRST = BANK.statements()[0][1]
DTD = b'<?xml version="1.0"?><!DOCTYPE bomb [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def example():
    assessment = example_assessment(BANK, year=2026).model_copy(update={"area": "Northshire", "is_example": False})
    assessment.plan = {
        "own-1": ActionEdit(action_id="own-1", own=True, what="Agree a housing protocol", owner="Board chair")
    }
    return assessment


FILLED = fill_template(BANK, example())
REF = "L"  # the template's Ref column on the Responses sheet: after the six columns and the five levels
REPORT = build_report(BANK, example())


def filled_with(change) -> bytes:
    return edit(FILLED, change)


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def set_cell(sheet: str, cell: str, value, *, as_text: bool = True):
    def change(workbook):
        if as_text:
            typed(workbook[sheet][cell], value)
        else:
            workbook[sheet][cell] = value

    return change


def swap_columns(workbook):
    sheet = workbook["Responses"]
    for row in range(3, sheet.max_row + 1):
        d, e = sheet.cell(row, 4).value, sheet.cell(row, 5).value
        sheet.cell(row, 4).value, sheet.cell(row, 5).value = e, d


def duplicate_statement(workbook):
    sheet = workbook["Responses"]
    sheet[f"{REF}5"] = sheet[f"{REF}4"].value


def delete_statement(workbook):
    sheet = workbook["Responses"]
    for column in range(1, sheet.max_column + 1):
        sheet.cell(10, column).value = None


def rename_responses(workbook):
    workbook["Responses"].title = "Answers"


def drop_metadata(workbook):
    del workbook["Metadata"]


def metadata(key: str, value: str):
    def change(workbook):
        sheet = workbook["Metadata"]
        for row in sheet.iter_rows():
            if row[0].value == key:
                row[1].value = value

    return change


def several_problems(workbook):
    typed(workbook["Area details"]["B3"], "")
    typed(workbook["Responses"]["D4"], "Maybe")
    typed(workbook["Partners"]["C5"], "Sometimes")


def zip_bomb() -> bytes:
    return rezip(FILLED, add={"xl/media/padding.bin": b"\0" * (8 * 1024 * 1024)})


def huge_total() -> bytes:
    return zip_of({f"xl/part{n}.bin": random.Random(n).randbytes(1024) * 8000 for n in range(8)})


def entity_bomb(name: str) -> bytes:
    return rezip(FILLED, replace={name: DTD + part(FILLED, name)})


def macro_workbook() -> bytes:
    types = part(FILLED, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return rezip(FILLED, replace={"[Content_Types].xml": types}, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def report_with(sheet: str, cell: str, value) -> bytes:
    return edit(REPORT, set_cell(sheet, cell, value))


def json_with(change) -> bytes:
    raw = json.loads(export_json(example()))
    change(raw)
    return json.dumps(raw).encode()


def missing_shared_string() -> bytes:
    """A cell that points at a shared string the workbook does not have (openpyxl raises IndexError)."""
    with zipfile.ZipFile(io.BytesIO(FILLED)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = sheet_part(FILLED, "Area details")
    parts[sheet] = re.sub(
        rb'<c r="B3"([^>]*)t="inlineStr"([^>]*)><is><t>[^<]*</t></is></c>',
        rb'<c r="B3"\1t="s"\2><v>99999</v></c>',
        parts[sheet],
    )
    assert b"<v>99999</v>" in parts[sheet]
    return zip_of(parts)


ROW = 4  # the first statement's row on the Responses sheet
CASES = [
    ("missing shared string", missing_shared_string(), "x.xlsx", "it may be damaged"),
    ("empty", b"", "x.xlsx", "The file is empty"),
    ("too big", b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "x.xlsx", "the largest file accepted is 5 MB"),
    ("random bytes", random.Random(4).randbytes(5000), "x.xlsx", "not an Excel workbook (.xlsx)"),
    ("csv renamed", b"area,year\nNorthshire,2026\n", "return.xlsx", "holds plain text, such as CSV"),
    ("password protected", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4000, "x.xlsx", "password-protected"),
    ("truncated", FILLED[: len(FILLED) // 2], "x.xlsx", "damaged or incomplete"),
    ("zip bomb", zip_bomb(), "x.xlsx", "compressed far more than a normal workbook"),
    ("too much unpacked", huge_total(), "x.xlsx", "would unpack to"),
    ("too many parts", zip_of({f"xl/p{n}.xml": b"<a/>" for n in range(400)}), "x.xlsx", "more than a workbook"),
    ("zip without workbook", zip_of({"word/document.xml": b"<w/>"}), "x.xlsx", "has no xl/workbook.xml"),
    ("entity bomb in workbook", entity_bomb("xl/workbook.xml"), "x.xlsx", "refused as unsafe"),
    ("entity bomb in a sheet", entity_bomb(sheet_part(FILLED, "Responses")), "x.xlsx", "refused as unsafe"),
    ("macro workbook", macro_workbook(), "x.xlsx", "contains macros"),
    ("xlsm by name", FILLED, "return.xlsm", "contains macros"),
    ("not our workbook", edit(FILLED, drop_metadata), "x.xlsx", "no hidden Metadata sheet"),
    ("future bank version", filled_with(metadata("bank_version", "2099.1")), "x.xlsx", "'2099.1', which this app"),
    ("future format", filled_with(metadata("format_version", "9")), "x.xlsx", "format version 9"),
    ("wrong sheet name", filled_with(rename_responses), "x.xlsx", "no sheet called 'Responses'"),
    ("moved columns", filled_with(swap_columns), "x.xlsx", "Responses!D3: expected the column heading 'Answer'"),
    (
        "value out of range",
        filled_with(set_cell("Responses", f"D{ROW}", "Maybe")),
        "x.xlsx",
        f"Responses!D{ROW}: 'Maybe' is not one of 0-4, Don't know, Not applicable",
    ),
    (
        "number out of range",
        filled_with(set_cell("Responses", f"D{ROW}", 7, as_text=False)),
        "x.xlsx",
        f"Responses!D{ROW}: '7' is not one of 0-4",
    ),
    (
        "text in the year",
        filled_with(set_cell("Area details", "B4", "twenty twenty-six")),
        "x.xlsx",
        "Area details!B4: 'twenty twenty-six' is not a year",
    ),
    ("year out of range", filled_with(set_cell("Area details", "B4", 1999, as_text=False)), "x.xlsx", "'1999'"),
    ("missing area", filled_with(set_cell("Area details", "B3", "")), "x.xlsx", "Area details!B3: the name of"),
    ("duplicated statement", filled_with(duplicate_statement), "x.xlsx", f"Responses!{REF}5: statement '{FIRST.id}'"),
    ("deleted statement", filled_with(delete_statement), "x.xlsx", "is missing. Do not delete rows"),
    (
        "unknown statement",
        filled_with(set_cell("Responses", f"{REF}{ROW}", "p9-made-up")),
        "x.xlsx",
        "'p9-made-up' is not a statement of question bank",
    ),
    (
        "formula in a note",
        filled_with(set_cell("Responses", f"E{ROW}", '=HYPERLINK("http://evil.example","Click")', as_text=False)),
        "x.xlsx",
        f"Responses!E{ROW}: this cell holds a formula",
    ),
    (
        "bad partner answer",
        filled_with(set_cell("Partners", "C4", "Sometimes")),
        "x.xlsx",
        "Partners!C4: 'Sometimes' is not one of Yes, Partly, No, Don't know",
    ),
    ("bad target", filled_with(set_cell("Area details", "B8", "High")), "x.xlsx", "Area details!B8: 'High'"),
    ("several problems", filled_with(several_problems), "x.xlsx", "has 3 problems to fix"),
    ("report with a bad date", report_with("Action plan", "H4", "next week"), "x.xlsx", "'next week' is not a date"),
    ("report with a bad status", report_with("Action plan", "I4", "Finished"), "x.xlsx", "'Finished' is not one of"),
    (
        "deleted Ref column",
        filled_with(set_cell("Responses", f"{REF}3", "")),
        "x.xlsx",
        "the column headed 'Ref', which tells the app which statement each row is, is missing",
    ),
    ("json that is not json", b"{not json", "x.json", "not valid JSON"),
    ("json of something else", b'{"hello": 1}', "x.json", "not an assessment exported"),
    (
        "json with an unknown statement",
        json_with(lambda raw: raw["assessment"]["answers"].update({"p9-made-up": {"choice": "3"}})),
        "x.json",
        "p9-made-up: not a statement",
    ),
    (
        "json with a bad choice",
        json_with(lambda raw: raw["assessment"]["answers"][FIRST.id].update({"choice": "7"})),
        "x.json",
        f"assessment.answers.{FIRST.id}.choice",
    ),
    (
        "json from a newer bank",
        json_with(lambda raw: raw["assessment"].update({"bank_version": "2099.1"})),
        "x.json",
        "which this app does not know",
    ),
]


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    save_import(store, read_upload(BANK, FILLED, filename="existing.xlsx"))  # something to leave untouched
    return store


def test_the_corpus_has_more_than_twenty_bad_files():
    assert len(CASES) >= 20
    assert len({name for name, *_ in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "data", "filename", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_file_is_refused_with_its_message_and_nothing_is_saved(store, name, data, filename, expected):
    before = store.counts()
    with pytest.raises(AssessmentError) as refused:
        save_import(store, read_upload(BANK, data, filename=filename), keep_both=True)
    assert expected in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert store.counts() == before


def test_every_problem_is_listed_at_once_with_sheet_and_cell():
    with pytest.raises(AssessmentError) as refused:
        read_upload(BANK, filled_with(several_problems), filename="x.xlsx")
    message = str(refused.value)
    assert "Area details!B3" in message
    assert f"Responses!D{ROW}: 'Maybe' is not one of 0-4, Don't know, Not applicable" in message
    assert "Partners!C5: 'Sometimes'" in message


def test_defusedxml_is_installed_and_openpyxl_uses_it():
    import defusedxml  # noqa: F401

    assert openpyxl.xml.DEFUSEDXML is True


def test_a_plain_workbook_from_elsewhere_is_refused_politely():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Area"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(AssessmentError, match="not made by the IOM self-assessment app"):
        read_upload(BANK, buffer.getvalue(), filename="mine.xlsx")


def test_a_good_file_still_imports_after_the_corpus(store):
    imported = read_upload(BANK, FILLED, filename="x.xlsx")
    assert imported.assessment.area == "Northshire"
    assert imported.assessment.answers == example().answers
