"""The command line: template, score and report, with the app's messages on stderr and a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from assessment.__main__ import main
from assessment.files.json import export_json
from assessment.scoring import score
from assessment.services import example_assessment
from questions.loader import get_bank
from tests.unit.excel_helpers import fill_template

BANK = get_bank()
ROOT = Path(__file__).resolve().parents[2]


def write_return(tmp_path) -> Path:
    path = tmp_path / "northshire.xlsx"
    path.write_bytes(fill_template(BANK, example_assessment(BANK, year=2026)))
    return path


def test_template_writes_the_blank_template(tmp_path, capsys):
    assert main(["template", "-o", str(tmp_path / "blank.xlsx")]) == 0
    assert "Responses" in load_workbook(tmp_path / "blank.xlsx").sheetnames


def test_score_prints_the_scorecard_as_json(tmp_path, capsys):
    assert main(["score", str(write_return(tmp_path)), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = score(BANK, example_assessment(BANK, year=2026))
    assert printed["overall"] == expected.overall
    assert printed["year"] == 2026
    assert [p["score"] for p in printed["principles"]] == [p.score for p in expected.principles]


def test_score_reads_a_json_export_too(tmp_path, capsys):
    path = tmp_path / "northshire.json"
    path.write_text(export_json(example_assessment(BANK, year=2026)))
    assert main(["score", str(path)]) == 0
    expected = score(BANK, example_assessment(BANK, year=2026))
    assert f"Overall: {expected.overall:.1f} {BANK.level_label(expected.overall_band)}\n" in capsys.readouterr().out


def test_score_says_insufficient_evidence_once_when_there_is_no_overall_score(tmp_path, capsys):
    path = tmp_path / "empty.json"
    path.write_text(export_json(example_assessment(BANK, year=2026).model_copy(update={"answers": {}})))
    assert main(["score", str(path)]) == 0
    assert "Overall: Insufficient evidence\n" in capsys.readouterr().out


def test_report_writes_a_report_that_opens(tmp_path, capsys):
    output = tmp_path / "report.xlsx"
    assert main(["report", str(write_return(tmp_path)), "-o", str(output)]) == 0
    assert load_workbook(output).sheetnames[:2] == ["Board summary", "Summary"]


def test_a_bad_file_gives_the_apps_message_on_stderr_and_exit_code_1(tmp_path, capsys):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("area,year\nNorthshire,2026\n")
    assert main(["score", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "notes.xlsx: The file is not an Excel workbook: it holds plain text, such as CSV." in captured.err


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main(["score", str(tmp_path / "nowhere.xlsx")]) == 1
    assert "cannot be read" in capsys.readouterr().err


def test_python_dash_m_assessment_runs_as_a_script(tmp_path):
    bad = tmp_path / "empty.xlsx"
    bad.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "assessment", "score", str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "The file is empty" in result.stderr
    assert "Traceback" not in result.stderr
    usage = subprocess.run([sys.executable, "-m", "assessment"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2
