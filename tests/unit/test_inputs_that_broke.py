"""Inputs that used to break a page or a file: each test here failed before its fix."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assessment.__main__ import main
from assessment.excel_report import build_report
from assessment.jsonio import export_json
from assessment.model import Assessment, StatementAnswer
from questions.loader import get_bank

BANK = get_bank()


def fully_answered(**changes) -> Assessment:
    """Every statement has a level: no Don't know, no Not applicable, so there are no evidence gaps."""
    answers = {statement.id: StatementAnswer(choice="2") for _, statement in BANK.statements()}
    return Assessment(area="Northshire", year=2026, bank_version=BANK.version, answers=answers, **changes)


# ---- a fully answered assessment -------------------------------------------------------------------------------
def test_a_fully_answered_assessment_makes_a_report_that_says_there_are_no_evidence_gaps():
    workbook = load_workbook(io.BytesIO(build_report(BANK, fully_answered())))
    texts = [cell.value for row in workbook["Summary"].iter_rows() for cell in row]
    assert "None: every statement has an answer." in texts


def test_the_command_line_writes_the_report_of_a_fully_answered_return(tmp_path, capsys):
    source = tmp_path / "northshire.json"
    source.write_text(export_json(fully_answered()), encoding="utf-8")
    output = tmp_path / "report.xlsx"
    assert main(["report", str(source), "-o", str(output)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert load_workbook(output)["Summary"]["B3"].value == "Northshire"
