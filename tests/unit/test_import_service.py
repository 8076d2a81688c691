"""Importing into the store: never a silent overwrite, replace or keep both, and older banks migrated."""

from __future__ import annotations

import pytest

from assessment.files.excel.reader import read_workbook
from assessment.files.excel.report import build_report
from assessment.model import ActionEdit, AssessmentError
from assessment.services import ImportWouldReplace, example_assessment, read_upload, save_import, start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.unit.excel_helpers import edit, fill_template, typed

BANK = get_bank()


def northshire(**changes):
    assessment = example_assessment(BANK, year=2026).model_copy(update={"area": "Northshire", "is_example": False})
    return assessment.model_copy(update=changes)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "iom.sqlite3")


def test_an_imported_template_becomes_an_assessment_in_the_store(store):
    saved = save_import(store, read_upload(BANK, fill_template(BANK, northshire()), filename="return.xlsx"))
    stored = store.get(saved.id)
    assert stored.area == "Northshire"
    assert stored.answers == northshire().answers
    assert stored.bank_version == BANK.version


def test_the_same_area_and_year_is_never_overwritten_silently(store):
    existing = start_assessment(store, BANK, area="northshire", year=2026)
    before = store.counts()
    imported = read_upload(BANK, fill_template(BANK, northshire()), filename="return.xlsx")
    with pytest.raises(ImportWouldReplace) as refused:
        save_import(store, imported)
    assert refused.value.existing[0].id == existing.id
    assert "replaces it, or keep both" in str(refused.value)
    assert store.counts() == before


def test_replacing_keeps_the_id_so_links_still_work(store):
    existing = start_assessment(store, BANK, area="Northshire", year=2026)
    imported = read_upload(BANK, fill_template(BANK, northshire()), filename="return.xlsx")
    saved = save_import(store, imported, replace_id=existing.id)
    assert saved.id == existing.id
    assert len(store.list()) == 1
    assert store.get(existing.id).answers == northshire().answers


def test_keeping_both_saves_a_second_assessment(store):
    start_assessment(store, BANK, area="Northshire", year=2026)
    imported = read_upload(BANK, fill_template(BANK, northshire()), filename="return.xlsx")
    save_import(store, imported, keep_both=True)
    assert len(store.find("Northshire", 2026)) == 2


def test_replacing_one_that_has_gone_is_refused(store):
    imported = read_upload(BANK, fill_template(BANK, northshire()), filename="return.xlsx")
    with pytest.raises(AssessmentError, match="no longer exists"):
        save_import(store, imported, replace_id="gone-gone-gone")
    assert store.counts()["assessments"] == 0


def test_a_report_imports_with_its_plan_records(store):
    plan = {"own-9": ActionEdit(action_id="own-9", own=True, what="Invite the GP federation", status="in_progress")}
    saved = save_import(store, read_upload(BANK, build_report(BANK, northshire(plan=plan)), filename="r.xlsx"))
    assert store.get(saved.id).plan == plan


def older_template(change=None) -> bytes:
    def make_older(workbook):
        for row in workbook["Metadata"].iter_rows():
            if row[0].value == "bank_version":
                row[1].value = "2025.1"
        if change:
            change(workbook)

    return edit(fill_template(BANK, northshire()), make_older)


def test_an_older_bank_version_is_migrated_with_a_list_of_changes():
    statements = [s for _, s in BANK.statements()]

    def history(workbook):
        sheet = workbook["Responses"]
        typed(sheet["L5"], "p1-retired-statement")  # a statement the bank has since dropped (L: the Ref column)
        typed(sheet["C6"], "An older wording of the statement")  # one since reworded

    imported = read_workbook(BANK, older_template(history))
    changes = "\n".join(imported.changes)
    assert "made for question bank version 2025.1" in changes
    assert "'p1-retired-statement' is no longer in the question bank" in changes
    assert "Statement 1.3 was reworded" in changes
    assert f"Statement 1.2 is new in question bank {BANK.version}" in changes
    assert statements[1].id not in imported.assessment.answers
    assert imported.assessment.answers[statements[2].id] == northshire().answers[statements[2].id]
    assert imported.assessment.bank_version == BANK.version


def test_an_unreadable_bank_version_is_refused():
    def odd(workbook):
        for row in workbook["Metadata"].iter_rows():
            if row[0].value == "bank_version":
                row[1].value = "next"

    with pytest.raises(AssessmentError, match="which this app does not know"):
        read_workbook(BANK, edit(fill_template(BANK, northshire()), odd))


def test_an_overlong_note_is_cut_with_a_warning():
    def long_note(workbook):
        typed(workbook["Responses"]["E4"], "n" * 6000)

    imported = read_workbook(BANK, edit(fill_template(BANK, northshire()), long_note))
    assert len(imported.assessment.answers[BANK.statements()[0][1].id].evidence) == 5000
    assert any("Responses!E4" in w and "first 5,000" in w for w in imported.warnings)


def test_answers_are_read_however_they_were_typed():
    def loosely(workbook):
        sheet = workbook["Responses"]
        for row, value in ((4, 3), (5, "2"), (6, "established"), (7, "dont know"), (8, "N/A"), (9, "4 - Embedded")):
            sheet.cell(row, 4).value = value
        typed(workbook["Partners"]["C4"], "yes")

    answers = read_workbook(BANK, edit(fill_template(BANK, northshire()), loosely)).assessment.answers
    ids = [s.id for _, s in BANK.statements()]
    assert [answers[i].choice for i in ids[:6]] == ["3", "2", "3", "dont_know", "not_applicable", "4"]
