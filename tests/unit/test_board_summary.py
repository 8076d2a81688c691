"""The board summary: the two pages a board tables, as the report's first sheet and as the domain rows behind it."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from assessment.files.excel.report import build_report
from assessment.files.excel.style import wrapped_lines
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


def crowded():
    """The most a board summary has to hold: a long area name, a masked note (a second line under the title), and
    the five actions with owners as long as the importer keeps (200 characters)."""
    assessment = example_assessment(BANK, year=2026).model_copy(
        update={"area": "North Eastshire and Riverside Combined Authority Integrated Offender Management Partnership"}
    )
    first = BANK.principles[0].statements[0].id
    assessment.answers[first] = assessment.answers[first].model_copy(update={"evidence": "Ask jo@example.org"})
    owner = ("Detective Chief Superintendent Alexandra Montgomery-Smythe, Head of Partnerships and Public Protection, "
             "with the Deputy Director of Probation for the Eastshire and Riverside Probation Delivery Unit")[:200]  # fmt: skip
    plan = build_plan(BANK, get_library(), assessment, score(BANK, assessment))
    assessment.plan = {
        action.id: ActionEdit(action_id=action.id, owner=owner, due=date(2027, 3, 31)) for action in plan.actions[:5]
    }
    return assessment


def crowded_by_agencies():
    """The crowded summary of a partnership whose agencies answered separately: one more fact, statements not yet
    agreed."""
    from assessment.agreement import settled
    from assessment.model import Respondent

    assessment = crowded()
    people = [Respondent(agency=agency, answers=dict(assessment.answers)) for agency in ("police", "probation")]
    return settled(assessment.model_copy(update={"respondents": people}), BANK)


def test_the_summary_counts_the_statements_not_yet_agreed():
    assessment = crowded_by_agencies()
    facts = dict(summary_of(assessment).facts())
    total = len(BANK.statements())
    assert facts["Statements not yet agreed"] == f"{total} of {total}: their proposed levels are used"
    assert "Statements not yet agreed" not in dict(summary_of(example()).facts())
    sheet = load_workbook(io.BytesIO(build_report(BANK, assessment)))["Board summary"]
    assert f"{total} of {total}: their proposed levels are used" in cell_texts(sheet)


# The printable height of an A4 landscape page with the report's margins (top 0.5 inch, bottom 0.75 inch), and the
# width a character of column width takes in LibreOffice 7.4 at 100%, measured: 2.46 mm.
PAGE_HEIGHT_PT = (210 - 25.4 * 1.25) / 25.4 * 72
PAGE_WIDTH_MM = 297 - 2 * 0.4 * 25.4
MEASURED_MM_PER_CHARACTER = 2.46


def heights(sheet, first, last):
    return sum((sheet.row_dimensions[row].height or 15) if row in sheet.row_dimensions else 15
               for row in range(first, last + 1))  # fmt: skip


@pytest.mark.parametrize(
    "make", [example, crowded, crowded_by_agencies], ids=["example", "crowded", "crowded-by-agencies"]
)
def test_the_board_summary_prints_on_two_a4_landscape_pages(make):
    sheet = load_workbook(io.BytesIO(build_report(BANK, make())))["Board summary"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows == "$1:$1"  # the title, with the area and year, heads both pages
    assert sheet.print_area == f"'Board summary'!$A$1:$E${sheet.max_row}"
    # Page 1 the facts and principles, page 2 partners and actions: a manual break, which fit-to-page would undo.
    (page_break,) = sheet.row_breaks.brk
    assert sheet.cell(page_break.id + 1, 1).value == "Partner involvement"
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    # At the set scale, the printed columns fit the width and each page's rows fit the height.
    scale = setup.scale / 100
    width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, printed_columns(sheet) + 1))
    assert width * MEASURED_MM_PER_CHARACTER * scale <= PAGE_WIDTH_MM
    assert heights(sheet, 1, page_break.id) * scale <= PAGE_HEIGHT_PT
    assert (heights(sheet, 1, 1) + heights(sheet, page_break.id + 1, sheet.max_row)) * scale <= PAGE_HEIGHT_PT
    footer = sheet.oddFooter
    assert footer.left.text == f"{make().area} 2026" and footer.right.text == "&A, page &P of &N"


def test_the_example_prints_at_a_readable_size(sheet):
    assert 11 * sheet.page_setup.scale / 100 >= 9  # 11 pt text at 9 pt or more


def test_a_long_owner_makes_its_row_taller_rather_than_being_cut():
    sheet = load_workbook(io.BytesIO(build_report(BANK, crowded())))["Board summary"]
    owner_rows = [cell.row for (cell,) in sheet.iter_rows(min_col=3, max_col=3) if str(cell.value).startswith("Det")]
    assert len(owner_rows) == 5
    lines = wrapped_lines(crowded().plan[next(iter(crowded().plan))].owner, int(22 * 1.15 - 1))
    assert all(sheet.row_dimensions[row].height >= 15 * lines for row in owner_rows)


@pytest.mark.parametrize(
    ("text", "per_line", "lines"),
    [
        ("Mental health services, with probation", 19, 3),  # words wrap whole: a count of letters says 2
        ("Not known", 19, 1),
        ("", 10, 1),
        ("a" * 45, 20, 3),
        ("first line\nsecond", 20, 2),
    ],
)
def test_wrapped_lines_counts_lines_as_a_spreadsheet_wraps_words(text, per_line, lines):
    assert wrapped_lines(text, per_line) == lines


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
