"""The board summary: the two pages a board tables, as the report's first sheet and as the domain rows behind it."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from assessment.files.excel.report import build_report
from assessment.model import ActionEdit
from assessment.plan import build_plan
from assessment.scoring import score
from assessment.services import example_assessment, read_upload
from assessment.summary import against_target, board_summary
from benchmarks.loader import get_library
from questions.loader import get_bank
from tests.unit.excel_helpers import printed_columns

BANK = get_bank()
TODAY = date(2026, 11, 25)


def example():
    assessment = example_assessment(BANK, year=2026)
    first = build_plan(BANK, get_library(), assessment, score(BANK, assessment)).actions[0]
    assessment.plan = {
        first.id: ActionEdit(action_id=first.id, owner="Chief Inspector A. Board", due=date(2027, 3, 31))
    }
    return assessment


def summary_of(assessment):
    scorecard = score(BANK, assessment)
    return board_summary(
        BANK, assessment, scorecard, build_plan(BANK, get_library(), assessment, scorecard), today=TODAY
    )


@pytest.fixture(scope="module")
def report_bytes():
    return build_report(BANK, example())


@pytest.fixture(scope="module")
def sheet(report_bytes):
    return load_workbook(io.BytesIO(report_bytes))["Board summary"]


def cell_texts(sheet):
    return [str(cell.value) for row in sheet.iter_rows(max_col=printed_columns(sheet)) for cell in row if cell.value]


def test_the_summary_gives_the_facts_a_board_needs():
    summary = summary_of(example())
    facts = dict(summary.facts())
    scorecard = score(BANK, example())
    assert facts["Area"] == example().area and facts["Year"] == "2026"
    assert facts["Date of this summary"] == "25 November 2026"
    assert facts["Overall score (0 to 4)"] == f"{scorecard.overall:.1f}"
    assert facts["Overall band"] == BANK.level_label(scorecard.overall_band)
    assert facts["Evidence gaps"].startswith(f"{len(scorecard.evidence_gaps())} statements")
    assert "signed off" in facts["Sign-off"]
    assert [line.number for line in summary.principles] == [1, 2, 3, 4, 5, 6]
    assert len(summary.partners) == len(BANK.partners.partners)


def test_the_five_actions_are_the_plans_first_five_with_owners_and_due_dates_or_not_known():
    summary = summary_of(example())
    plan = build_plan(BANK, get_library(), example(), score(BANK, example()))
    assert [line.title for line in summary.actions] == [action.title for action in plan.actions[:5]]
    first, second = summary.actions[:2]
    assert (first.owner, first.due) == ("Chief Inspector A. Board", "31 Mar 2027")
    assert (second.owner, second.due) == ("Not known", "Not known")


@pytest.mark.parametrize(
    ("score_", "target", "words"),
    [
        (3.0, 3, "Meets the target"),
        (2.2, 3, "Below the target by 0.8"),
        (3.6, 3, "Above the target by 0.6"),
        (None, 3, "Not known"),
    ],
)
def test_a_score_is_set_against_its_target_in_words(score_, target, words):
    assert against_target(score_, target) == words


def test_the_board_summary_is_the_reports_first_sheet_and_shows_the_summary(report_bytes, sheet):
    assert load_workbook(io.BytesIO(report_bytes)).sheetnames[0] == "Board summary"
    texts = cell_texts(sheet)
    summary = summary_of(example())
    for label, value in summary.facts():
        if label != "Date of this summary":
            assert label in texts and value in texts, label
    for line in summary.principles:
        assert f"{line.number}. {line.name}" in texts and line.against_target in texts
    for line in summary.actions:
        assert f"{line.rank}. {line.title}" in texts
    assert "Chief Inspector A. Board" in texts


def test_the_board_summary_prints_on_two_a4_landscape_pages(sheet):
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert len(sheet.row_breaks.brk) == 1  # page 1 the facts and principles, page 2 partners and actions
    assert printed_columns(sheet) == 6
    assert sheet.print_title_rows == "$1:$1"
    footer = sheet.oddFooter
    assert footer.left.text == f"{example().area} 2026" and "&P" in footer.right.text


def test_partner_involvement_is_a_small_heat_map_coloured_by_involvement(sheet):
    fills = {}
    for row in sheet.iter_rows(max_col=4):
        for cell in row:
            if isinstance(cell.value, str) and re.match(r"(Involved|Not involved) \(", cell.value):
                fills.setdefault(cell.value.split(" (")[0], set()).add(cell.fill.fgColor.rgb[-6:])
    assert fills["Involved"] == {"CCE2D8"} and fills["Not involved"] == {"F6D7D2"}


def test_no_printed_cell_of_a_table_is_blank(report_bytes):
    workbook = load_workbook(io.BytesIO(report_bytes))
    sheet = workbook["Board summary"]
    for table in sheet.tables.values():
        for row in sheet[table.ref]:
            for cell in row:
                assert cell.value not in (None, ""), f"{table.name} {cell.coordinate} is blank"


def test_every_sheet_defines_its_table_headers(report_bytes):
    workbook = load_workbook(io.BytesIO(report_bytes))
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "hidden":
            continue
        assert sheet.tables, f"{sheet.title} defines no table"
        for table in sheet.tables.values():
            first = sheet[table.ref][0]
            assert all(isinstance(cell.value, str) and cell.value for cell in first), table.name
            assert all(cell.font.b for cell in first), table.name


def test_every_chart_of_the_report_has_a_text_alternative(report_bytes):
    archive = zipfile.ZipFile(io.BytesIO(report_bytes))
    drawings = [name for name in archive.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", name)]
    frames = [
        frame for name in drawings for frame in re.findall(r"<cNvPr [^>]*>", archive.read(name).decode())
    ]  # fmt: skip
    assert len(frames) == 2  # the board summary's and the Principles sheet's
    for frame in frames:
        assert re.search(r'descr="Bar chart of the six principle scores[^"]+(principle 6|6\. )', frame), frame


def test_the_importer_reads_a_report_with_its_board_summary_back(report_bytes):
    imported = read_upload(BANK, report_bytes, filename="report.xlsx")
    assert imported.assessment.answers == example().answers
    assert imported.assessment.plan[next(iter(example().plan))].owner == "Chief Inspector A. Board"
