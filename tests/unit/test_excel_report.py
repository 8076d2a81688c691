"""The report workbook: its sheets, chart, table, formatting and safe text, opened again with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from assessment.files.excel.layout import EXCEL_CELL_LIMIT, file_name, safe_text, statement_refs
from assessment.files.excel.report import build_report, cited_sources, render_report
from assessment.files.excel.style import SheetWriter
from assessment.model import ActionEdit, StatementAnswer
from assessment.plan import build_plan
from assessment.scoring import score
from assessment.services import example_assessment, read_upload
from assessment.tables import partner_rows
from benchmarks.loader import get_library
from questions.loader import get_bank
from tests.unit.excel_helpers import assert_prints_readably, column_of, fill_template, printed_columns, rows_by_ref

BANK = get_bank()


def example(**changes):
    assessment = example_assessment(BANK, year=2026)
    assessment.plan = {
        "own-1": ActionEdit(
            action_id="own-1", own=True, what='=HYPERLINK("http://evil.example")', owner="+44 chair", notes="@once"
        )
    }
    return assessment.model_copy(update=changes)


@pytest.fixture(scope="module")
def report():
    return load_workbook(io.BytesIO(build_report(BANK, example())))


def test_the_report_has_the_board_summary_then_six_sheets_in_order_and_a_hidden_metadata_sheet(report):
    assert report.sheetnames == [
        "Board summary", "Summary", "Principles", "Partners", "Action plan", "Responses", "Method and sources",
        "Metadata",
    ]  # fmt: skip
    assert report["Metadata"].sheet_state == "hidden"
    assert all(report[name].sheet_state == "visible" for name in report.sheetnames[:-1])


def test_the_summary_gives_the_area_year_scores_and_bank_version(report):
    summary = report["Summary"]
    values = {summary.cell(row, 1).value: summary.cell(row, 2).value for row in range(3, 12)}
    scorecard = score(BANK, example())
    assert values["Area"] == example().area
    assert values["Year"] == 2026
    assert values["Question bank version"] == BANK.version
    assert values["Overall score (0 to 4)"] == scorecard.overall
    assert values["Overall band"] == BANK.level_label(scorecard.overall_band)
    texts = [cell.value for row in summary.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "The three strongest statements" in texts and "The three weakest statements" in texts
    assert any(t.startswith("Evidence gaps") for t in texts)


def test_the_principles_sheet_has_a_native_bar_chart_of_the_six_scores(report):
    sheet = report["Principles"]
    assert [sheet.cell(row, 2).value for row in range(4, 10)] == [p.score for p in score(BANK, example()).principles]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart"
    assert chart.series[0].val.numRef.f.endswith("!$B$4:$B$9")  # the six scores
    assert chart.y_axis.scaling.min == 0 and chart.y_axis.scaling.max == 4


def test_partners_show_the_national_figure_or_say_there_is_none(report):
    sheet = report["Partners"]
    header = [cell.value for cell in sheet[3]]
    national = header.index("National survey (2013)") + 1
    shown = [sheet.cell(row, national).value for row in range(4, 4 + len(BANK.partners.partners))]
    expected = [row["National figure shown"] for row in partner_rows(score(BANK, example()))]
    assert shown == expected
    assert "No national figure" in shown
    assert len(sheet.conditional_formatting) >= 2


def test_the_action_plan_is_an_excel_table_with_filters(report):
    sheet = report["Action plan"]
    assert list(sheet.tables) == ["ActionPlan"]
    table = sheet.tables["ActionPlan"]
    assert table.ref.startswith("A3:P")
    assert table.autoFilter is not None
    refs = [sheet.cell(row, column_of(sheet, "Ref")).value for row in range(4, sheet.max_row + 1)]
    assert "own-1" in refs
    assert len(refs) > 1  # the generated actions from the plan as well


def test_actions_are_numbered_by_rank_and_their_ids_come_last(report):
    sheet = report["Action plan"]
    header = [cell.value for cell in sheet[3]]
    assert header[0] == "No." and header[-1] == "Ref"
    plan = build_plan(BANK, get_library(), example(), score(BANK, example()))
    rows = range(4, 4 + len(plan.all()))
    assert [sheet.cell(row, 1).value for row in rows] == [action.rank or "Not ranked" for action in plan.all()]
    assert [sheet.cell(row, 1).value for row in rows][: len(plan.actions)] == list(range(1, len(plan.actions) + 1))
    assert sheet.cell(4, 2).value == f"1 of {len(plan.actions)}"
    assert [sheet.cell(row, len(header)).value for row in rows] == [action.id for action in plan.all()]


def test_the_due_column_only_takes_dates_and_says_so(report):
    sheet = report["Action plan"]
    due = get_column_letter(column_of(sheet, "Due"))
    status = get_column_letter(column_of(sheet, "Status"))
    found = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    last = sheet.tables["ActionPlan"].ref.split(":")[1][1:]
    dates = found[f"{due}4:{due}{last}"]
    assert dates.type == "date"
    assert dates.prompt == "A date, for example 31/03/2027"
    assert dates.showInputMessage and dates.showErrorMessage
    assert found[f"{status}4:{status}{last}"].type == "list"
    assert sheet[f"{due}4"].number_format == "dd/mm/yyyy"


def test_statements_are_numbered_as_in_the_app_and_their_ids_come_last(report):
    sheet = report["Responses"]
    header = [cell.value for cell in sheet[3]]
    assert header[0] == "No." and header[-1] == "Ref"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in rows] == [statement_refs(BANK)[s.id] for _, s in BANK.statements()]
    assert rows[0][0] == "1.1"
    assert [row[-1] for row in rows] == [s.id for _, s in BANK.statements()]
    partners = report["Partners"]
    assert partners.cell(3, 1).value == "Partner"
    ref = column_of(partners, "Ref")
    assert ref == partners.max_column
    assert [partners.cell(row, ref).value for row in range(4, 4 + len(BANK.partners.partners))] == [
        p.id for p in BANK.partners.partners
    ]


def test_sheets_are_formatted_for_reading_and_printing(report):
    for name in ("Principles", "Partners", "Action plan", "Responses"):
        sheet = report[name]
        assert sheet.freeze_panes is not None, name
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.page_setup.fitToWidth == 1, name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.cell(3, 1).font.b, name
        assert sheet.column_dimensions["A"].width >= 5, name
    assert report["Responses"].cell(4, 3).alignment.wrap_text
    assert report["Action plan"].print_title_rows == "$3:$3"
    assert report["Responses"].print_title_rows == "$3:$3"


def test_every_sheet_prints_at_a_readable_size_without_the_internal_ids(report):
    for sheet in report.worksheets[:-1]:
        assert_prints_readably(sheet)
        assert sheet.print_title_rows, f"{sheet.title} repeats no header rows on each printed page"
    for name in ("Partners", "Action plan", "Responses"):
        sheet = report[name]
        ref = column_of(sheet, "Ref")
        assert printed_columns(sheet) < ref, name  # the ids stay on screen but off paper
        assert sheet.column_dimensions[get_column_letter(ref)].width <= 12, name
        assert sheet.cell(4, ref).font.color.rgb.endswith("505A5F"), name
    assert int(report["Action plan"].page_setup.paperSize) == 8  # A3
    assert int(report["Summary"].page_setup.paperSize) == 9  # A4


def test_the_principles_sheet_says_how_each_score_was_worked_out(report):
    assert report["Principles"]["F3"].value == "How the score was worked out"


def test_sources_are_cited_by_title_and_their_files_never_print(report):
    sheet = report["Method and sources"]
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    for source, _ in cited_sources(BANK):
        assert source.cite() in texts
    file_column = column_of(
        sheet, "Source file", row=next(r for r in range(1, sheet.max_row) if sheet.cell(r, 4).value == "Source file")
    )
    assert printed_columns(sheet) < file_column  # kept for tracing a source, never printed
    plan = report["Action plan"]
    column = column_of(plan, "Source")
    cited = [plan.cell(row, column).value for row in range(4, plan.max_row + 1)]
    assert any(cited) and not any(".txt" in (text or "") for text in cited)
    everywhere_else = [
        cell.value
        for s in report.worksheets
        for row in s.iter_rows(max_col=printed_columns(s) if s.print_area else None)
        for cell in row
    ]
    assert not any(".txt" in value for value in everywhere_else if isinstance(value, str))


def test_document_properties_name_the_area_and_year(report):
    assert report.properties.title == f"IOM self-assessment report: {example().area} 2026"
    assert example().area in report.properties.subject
    assert {p.name: p.value for p in report.custom_doc_props.props} == {"Area": example().area, "Year": "2026"}


def test_user_text_that_looks_like_a_formula_is_stored_as_text(report):
    sheet = report["Action plan"]
    row = rows_by_ref(sheet)["own-1"]
    for heading, value in (("Action", '=HYPERLINK("http://evil.example")'), ("Owner", "+44 chair"), ("Notes", "@once")):
        cell = sheet.cell(row, column_of(sheet, heading))
        assert cell.value == value
        assert cell.data_type == "s"
    assert sheet.cell(row, column_of(sheet, "Action")).quotePrefix


def test_no_cell_of_the_report_is_a_formula():
    raw = build_report(BANK, example())
    workbook = load_workbook(io.BytesIO(raw))
    formulas = [c.coordinate for s in workbook for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_value_starting_like_a_formula_is_written_as_text(start):
    from openpyxl import Workbook

    cell = Workbook().active["A1"]
    SheetWriter().put(cell, f"{start}1+1")
    assert cell.data_type == "s"
    assert cell.value == f"{start}1+1"


def test_control_characters_are_removed_and_long_text_is_cut_with_a_warning():
    assert safe_text("a\x00b\x07c\x1bd\ne\tf")[0] == "abcd\ne\tf"
    text, warning = safe_text("x" * (EXCEL_CELL_LIMIT + 10))
    assert len(text) == EXCEL_CELL_LIMIT
    assert "cut to Excel's limit of 32,767" in warning
    from openpyxl import Workbook

    writer = SheetWriter()
    writer.put(Workbook().active["B2"], "y" * 40_000)
    assert writer.warnings and writer.warnings[0].startswith("Sheet!B2:")


def test_a_report_with_control_characters_in_notes_opens_cleanly():
    assessment = example()
    statement = BANK.statements()[0][1].id
    assessment.answers[statement] = StatementAnswer(choice="2", evidence="Minutes\x00 of\x0b the board")
    rendered = render_report(BANK, assessment)
    workbook = load_workbook(io.BytesIO(rendered.to_bytes()))
    assert workbook["Responses"]["E4"].value == "Minutes of the board"


def test_an_empty_assessment_still_makes_a_report():
    empty = example(answers={}, partner_answers={}, plan={})
    workbook = load_workbook(io.BytesIO(build_report(BANK, empty)))
    assert workbook["Summary"]["B8"].value == "Insufficient evidence"
    assert workbook["Partners"].cell(4, 2).value == "Not known"  # no blank cells, even with no answers


def test_no_table_cell_of_the_report_is_blank_and_the_words_for_empty_read_back_as_empty():
    first = BANK.principles[0].statements
    partly = example(
        answers={
            first[0].id: StatementAnswer(choice="3"),  # no evidence note
            first[1].id: StatementAnswer(choice="dont_know", evidence="Ask probation"),
        },
        partner_answers={},
    )
    data = build_report(BANK, partly)
    workbook = load_workbook(io.BytesIO(data))
    words = set()
    for sheet in workbook.worksheets:
        for table in sheet.tables.values():
            for row in sheet[table.ref]:
                for cell in row:
                    assert cell.value not in (None, ""), f"{sheet.title}!{cell.coordinate} is blank"
                    words.add(cell.value)
    assert {"Not known", "Not needed", "Not ranked"} <= words
    responses = workbook["Responses"]
    assert [responses.cell(4, column).value for column in (4, 5, 6)] == ["3 Established", "Not known", "Not needed"]
    imported = read_upload(BANK, data, filename="report.xlsx").assessment
    assert imported.answers == partly.answers and imported.partner_answers == {}
    assert imported.plan == partly.plan


def test_a_note_that_says_not_known_is_kept_as_the_note_in_a_report_and_a_template():
    first = BANK.principles[0].statements
    said = example(
        answers={
            first[0].id: StatementAnswer(choice="not_applicable", na_reason="Not needed", evidence="Not known"),
            first[1].id: StatementAnswer(choice="2", evidence="not ranked"),
        },
        partner_answers={},
    )
    for data in (build_report(BANK, said), fill_template(BANK, said)):
        imported = read_upload(BANK, data, filename="return.xlsx").assessment
        assert imported.answers == said.answers


def test_file_names_are_safe():
    assert file_name("St. Helen's / Knowsley", 2026, "report", ".xlsx") == (
        "IOM-self-assessment-report-St-Helen-s-Knowsley-2026.xlsx"
    )
