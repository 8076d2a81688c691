"""The board's Excel report: summary, principles with a chart, partners, action plan, responses, method.

Every figure comes from the scorecard and the row builders in ``assessment.tables``, so the report
and the Results page never disagree. The report is also a file the importer reads back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from assessment import tables, wording
from assessment.agreement import not_yet_agreed
from assessment.files.excel import layout, style
from assessment.files.excel.layout import PRINCIPLE_COLUMNS, ordered_indicators
from assessment.files.excel.partnership import write_partnership_sheets
from assessment.files.excel.sheets import (
    RenderedWorkbook,
    colour_partner_answers,
    write_partner_grid_heading,
    write_responses,
)
from assessment.model import ACTION_STATUS_LABELS, ActionEdit, Assessment, now
from assessment.plan import build_plan
from assessment.privacy import MASKED_NOTE, MaskedAssessment, mask_assessment
from assessment.scoring import Scorecard, method_steps, score
from assessment.summary import BoardSummary, board_summary, not_yet_agreed_text
from assessment.wording import COST_TEXT
from benchmarks.loader import get_library
from questions.models import QuestionBank, Source

CHART_ROWS = 17


@dataclass(frozen=True)
class ActionRow:
    """One line of the Action plan sheet, in the words the sheet shows."""

    action_id: str
    number: int | None  # the rank, as the app numbers actions; None for actions that are not ranked
    priority: str
    what: str
    principle: str
    partner: str
    lead: str
    owner: str
    due: date | None
    status: str
    cost: str
    example: str
    source: str
    notes: str
    dropped_reason: str
    own: bool


def build_report(bank: QuestionBank, assessment: Assessment) -> bytes:
    """The report as the bytes of an .xlsx file."""
    return render_report(bank, assessment).to_bytes()


def render_report(bank: QuestionBank, assessment: Assessment) -> RenderedWorkbook:
    scorecard = score(bank, assessment)
    masked = mask_assessment(assessment)  # free text as exports show it: flagged personal data masked
    assessment = masked.assessment
    writer = style.SheetWriter()
    workbook = Workbook()
    board = workbook.active
    board.title = layout.BOARD_SUMMARY
    plan = build_plan(bank, get_library(), assessment, scorecard)
    described = [_board_summary(board, writer, board_summary(bank, assessment, scorecard, plan, today=now().date()))]
    _summary(workbook.create_sheet(layout.SUMMARY), writer, bank, assessment, scorecard)
    described.append(_principles(workbook.create_sheet(layout.PRINCIPLES), writer, bank, assessment, scorecard))
    _partners(workbook.create_sheet(layout.PARTNERS), writer, bank, assessment, scorecard)
    _action_plan(workbook.create_sheet(layout.ACTION_PLAN), writer, action_rows(bank, assessment, scorecard))
    _responses(workbook.create_sheet(layout.RESPONSES), writer, bank, assessment)
    _method(workbook.create_sheet(layout.METHOD), writer, bank)
    write_partnership_sheets(workbook, writer, bank, assessment, scorecard)  # issue 10, only when there are any
    style.write_metadata(
        workbook.create_sheet(layout.METADATA),
        kind="report",
        bank=bank,
        extra={"assessment_id": assessment.id, "created": now().isoformat()},
    )
    _properties(workbook, assessment, kind="Self-assessment report")
    _say_what_was_masked(workbook, masked)
    for sheet in workbook.worksheets:
        style.fill_blanks(sheet)
    _print_on_two_pages(board)
    for sheet in workbook.worksheets:
        style.footer(sheet, f"{assessment.area} {assessment.year}")
    return RenderedWorkbook(workbook, writer.warnings, described)


def _say_what_was_masked(workbook: Workbook, masked: MaskedAssessment) -> None:
    """A line under the title of the summary and of each sheet where something was masked."""
    sheets = [layout.BOARD_SUMMARY, layout.SUMMARY] if masked.any_masked else []
    sheets += [layout.PRINCIPLES, layout.RESPONSES] if masked.answers_masked else []
    sheets += [layout.ACTION_PLAN] if masked.plan_masked else []
    for name in sheets:
        cell = workbook[name]["A2"]
        cell.value = f"{cell.value} {MASKED_NOTE}" if cell.value else MASKED_NOTE
        cell.font = style.NOTE_FONT


def _properties(workbook: Workbook, assessment: Assessment, *, kind: str) -> None:
    props = workbook.properties
    props.title = f"IOM {kind.lower()}: {assessment.area} {assessment.year}"
    props.subject = f"Integrated Offender Management self-assessment, {assessment.area}, {assessment.year}"
    props.keywords = f"IOM; self-assessment; {assessment.area}; {assessment.year}"
    props.creator = "IOM Self-Assessment"
    props.category = kind
    workbook.custom_doc_props.append(StringProperty(name="Area", value=assessment.area))
    workbook.custom_doc_props.append(StringProperty(name="Year", value=str(assessment.year)))


# ---- Board summary ---------------------------------------------------------------------------------
BOARD_WIDTHS = {"A": 46, "B": 18, "C": 22, "D": 13, "E": 24}
BOARD_COLUMNS = len(BOARD_WIDTHS)
CHART_DATA_COLUMN = 9  # the chart's figures sit in columns I to K, out of the print area
CHART_ROWS_BESIDE_FACTS = 13  # the chart beside the facts is 6.5 cm high: about 12 rows of 15 points
INVOLVEMENT_FILLS = {"Involved": "CCE2D8", "Not involved": "F6D7D2", tables.NOT_KNOWN: "E5E6E7"}
YES_NO_FILLS = {"Yes": "CCE2D8", "No": "F6D7D2", tables.NOT_KNOWN: "E5E6E7"}


def _board_summary(sheet, writer, summary: BoardSummary) -> tuple[BarChart, str]:
    """The sheet a board tables: two A4 landscape pages. Page 1 the facts and the six principles against their
    targets; page 2 partner involvement and the five actions that matter most. Returns the chart and its alt text."""
    style.title(
        sheet,
        f"Board summary: {summary.area} {summary.year}",
        "IOM partnership self-assessment: the scores, partner involvement and the five actions that matter most. "
        "The other sheets give the detail.",
    )
    for title_row in (1, 2):  # a long area name wraps within the printed width instead of running off the page
        sheet.cell(row=title_row, column=1).alignment = style.WRAP
        sheet.merge_cells(start_row=title_row, start_column=1, end_row=title_row, end_column=BOARD_COLUMNS)
    row = layout.HEADER_ROW
    for label, value in summary.facts():
        label_cell = sheet.cell(row=row, column=1, value=label)
        label_cell.font = Font(bold=True)
        label_cell.alignment = style.WRAP
        writer.put(sheet.cell(row=row, column=2), value).alignment = style.WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        row += 1

    # The six principles against their targets: a table, under the facts and the chart beside them.
    row = max(row + 1, layout.HEADER_ROW + CHART_ROWS_BESIDE_FACTS)
    sheet.cell(row=row, column=1, value="The six principles: scores against targets").font = style.SUBTITLE_FONT
    header = row + 1
    style.header(sheet, header, ["Principle", "Score (0 to 4)", "Band", "Target", "Against the target"])
    for offset, line in enumerate(summary.principles, start=1):
        writer.row(
            sheet,
            header + offset,
            [
                f"{line.number}. {line.name}",
                line.score if line.score is not None else line.score_text,
                line.band,
                line.target,
                line.against_target,
            ],
        )
        sheet.cell(row=header + offset, column=2).number_format = "0.0"
        # The chart's figures: a principle with no score has no bar rather than a bar at 0.
        for column, value in enumerate((f"Principle {line.number}", line.score, line.target)):
            sheet.cell(row=header + offset, column=CHART_DATA_COLUMN + column, value=value).number_format = "0.0"
    last = header + len(summary.principles)
    style.wrap_block(sheet, header + 1, last, 5)
    style.data_table(sheet, "BoardPrinciples", header, last, 5)
    for column, name in enumerate(("Chart label", "Score", "Target")):
        sheet.cell(row=header, column=CHART_DATA_COLUMN + column, value=name)
    chart = _score_chart(sheet, header, last)
    sheet.add_chart(chart, f"D{layout.HEADER_ROW}")
    page_one_end = last + 1

    # Page 2: partner involvement as a small heat map, then the five actions.
    row = page_one_end + 1
    sheet.cell(row=row, column=1, value="Partner involvement").font = style.SUBTITLE_FONT
    header = row + 1
    style.header(sheet, header, ["Partner", "Strategic level", "Operational level", "Involved"])
    for offset, line in enumerate(summary.partners, start=1):
        writer.row(sheet, header + offset, [line.partner, line.strategic, line.operational, line.involved])
    last = header + len(summary.partners)
    style.wrap_block(sheet, header + 1, last, 4)
    style.data_table(sheet, "BoardPartners", header, last, 4)
    for line_row in range(header + 1, last + 1):
        for column in (2, 3):
            cell = sheet.cell(row=line_row, column=column)
            cell.fill = PatternFill("solid", fgColor=INVOLVEMENT_FILLS[str(cell.value).split(" (")[0]])
        cell = sheet.cell(row=line_row, column=4)
        cell.fill = PatternFill("solid", fgColor=YES_NO_FILLS[str(cell.value)])
    note = sheet.cell(
        row=last + 1,
        column=1,
        value="Involved at a level: coverage of 50% or more (Yes 1, Partly 0.5, No 0). Green involved, red not "
        "involved, grey not known.",
    )
    note.font = style.NOTE_FONT

    row = last + 3
    sheet.cell(row=row, column=1, value="The five actions that matter most").font = style.SUBTITLE_FONT
    header = row + 1
    style.header(sheet, header, ["Action", "Lead", "Owner", "Due", "Status"])
    for offset, line in enumerate(summary.actions, start=1):
        writer.row(sheet, header + offset, [f"{line.rank}. {line.title}", line.lead, line.owner, line.due, line.status])
    last = header + len(summary.actions)
    if summary.actions:
        style.wrap_block(sheet, header + 1, last, 5)
        style.data_table(sheet, "BoardActions", header, last, 5)
    else:
        sheet.cell(row=header + 1, column=1, value="No gaps against the targets, so no suggested actions.")
        last += 1
    sheet.cell(
        row=last + 1,
        column=1,
        value=f"{summary.gaps_in_plan} gaps against the targets in all. The Action plan sheet has every action, "
        "ranked, with the practice example behind it.",
    ).font = style.NOTE_FONT

    style.widths(sheet, BOARD_WIDTHS)
    for column in range(CHART_DATA_COLUMN, CHART_DATA_COLUMN + 3):
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    # Page 1 the facts and the principles, page 2 the partners and the actions. The print set-up is finished by
    # _print_on_two_pages once every line (such as the note on masked personal data) is in place.
    sheet.row_breaks.append(Break(id=page_one_end))
    described = "; ".join(
        f"principle {line.number} {line.score_text}, target {line.target}" for line in summary.principles
    )
    return chart, (
        f"Bar chart of the six principle scores against their targets, from 0 (Not in place) to 4 (Embedded): "
        f"{described}. The same figures are in the table beside it."
    )


def _print_on_two_pages(sheet) -> None:
    """A4 landscape, title repeated, page 1 and page 2 at one scale at which each fits its page.

    Fit-to-page (one page wide, two tall) would also keep it to two pages, but Excel and LibreOffice both ignore a
    manual page break under fit-to-page and split a table wherever the first page ends. So the scale is set instead:
    the largest at which the printed columns fit the width and each part, from its rows' heights, fits the height.
    """
    style.print_setup(sheet, title_rows="1:1", last_column=BOARD_COLUMNS)
    _fit_title(sheet)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = False  # the scale below applies, and the page break holds
    sheet.page_setup.scale = style.two_page_scale(sheet, sheet.row_breaks.brk[0].id, BOARD_COLUMNS)


def _fit_title(sheet) -> None:
    """The merged title and note rows' heights: the title's 16 pt bold letters take about 1.45 times the width of
    11 pt ones (measured in LibreOffice), the note's italic ones about the same."""
    width = sum(BOARD_WIDTHS.values()) - 2
    for row, (factor, line_height) in {1: (1.45, 22), 2: (1.0, 15)}.items():
        text = str(sheet.cell(row=row, column=1).value or "")
        sheet.row_dimensions[row].height = line_height * style.wrapped_lines(text, int(width / factor)) + 2


def _score_chart(sheet, header: int, last: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    data = Reference(sheet, min_col=CHART_DATA_COLUMN + 1, max_col=CHART_DATA_COLUMN + 2, min_row=header, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=CHART_DATA_COLUMN, min_row=header + 1, max_row=last))
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 4
    chart.y_axis.majorUnit = 1
    chart.x_axis.scaling.orientation = "maxMin"  # principle 1 at the top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.series[0].graphicalProperties.solidFill = style.BLUE
    chart.series[1].graphicalProperties.solidFill = "B1B4B6"
    labels = DataLabelList(numFmt="0.0")  # the scores only: the targets are read off the axis
    labels.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent", "showLeaderLines"):
        setattr(labels, flag, False)
    chart.series[0].dLbls = labels
    chart.legend.position = "b"
    chart.visible_cells_only = False  # its figures sit in hidden columns
    chart.gapWidth = 40
    chart.height = 6.5
    chart.width = 8.8  # within columns D and E, the printed width
    return chart


# ---- Summary ---------------------------------------------------------------------------------------
def _summary(sheet, writer, bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> None:
    style.title(
        sheet,
        f"IOM partnership self-assessment: {assessment.area} {assessment.year}",
        "Rated against the six IOM Key Principles (2015) and the involvement of each partner agency.",
    )
    answered = scorecard.answered_count()
    facts = [
        ("Area", assessment.area),
        ("Year", assessment.year),
        ("Date of this report", now().date()),
        ("Answers last saved", assessment.updated_at.replace(tzinfo=None)),
        ("Question bank version", bank.version),
        ("Overall score (0 to 4)", scorecard.overall if scorecard.overall is not None else wording.INSUFFICIENT),
        ("Overall band", tables.band_text(bank, scorecard.overall_band)),
        ("Statements answered", f"{answered} of {len(scorecard.statement_results())}"),
        ("Evidence gaps", len(scorecard.evidence_gaps())),
    ]
    if pending := not_yet_agreed(bank, assessment):  # issue 10: agencies answered separately
        facts.append(("Statements not yet agreed", not_yet_agreed_text(len(pending), len(bank.statements()))))
    for offset, (label, value) in enumerate(facts):
        row = layout.HEADER_ROW + offset
        label_cell = sheet.cell(row=row, column=1, value=label)
        label_cell.font = Font(bold=True)
        cell = writer.put(sheet.cell(row=row, column=2), value)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    sheet["B5"].number_format = "d mmmm yyyy"
    sheet["B6"].number_format = "d mmmm yyyy hh:mm"
    sheet["B8"].number_format = "0.0"
    row = layout.HEADER_ROW + len(facts) + 1
    refs = layout.statement_refs(bank)
    for heading, results, name in (
        ("The three strongest statements", scorecard.strongest(), "Strongest"),
        ("The three weakest statements", scorecard.weakest(), "Weakest"),
    ):
        row = _statement_list(sheet, writer, bank, row, heading, results, refs, assessment, name)
    gaps = scorecard.evidence_gaps()
    heading = "Evidence gaps: 'Don't know', not answered, or 'Not applicable' without a reason"
    if gaps:
        row = _statement_list(sheet, writer, bank, row, heading, gaps, refs, assessment, "EvidenceGaps")
    else:
        sheet.cell(row=row, column=1, value=heading).font = style.SUBTITLE_FONT
        sheet.cell(row=row + 1, column=1, value="None: every statement has an answer.")
    style.widths(sheet, {"A": 30, "B": 70, "C": 24})
    style.print_setup(sheet, title_rows="1:1")


def _statement_list(sheet, writer, bank, row, heading, results, refs, assessment, name) -> int:
    sheet.cell(row=row, column=1, value=heading).font = style.SUBTITLE_FONT
    style.header(sheet, row + 1, ["Statement", "Text", "Answer"])
    for offset, result in enumerate(results, start=2):
        writer.row(
            sheet,
            row + offset,
            [
                f"{refs[result.statement.id]} ({result.principle.name})",
                result.statement.text,
                tables.answer_text(bank, assessment, result),
            ],
        )
    style.wrap_block(sheet, row + 2, row + 1 + len(results), 3)
    style.data_table(sheet, name, row + 1, row + 1 + len(results), 3)
    return row + len(results) + 3


# ---- Principles ------------------------------------------------------------------------------------


def _principles(
    sheet, writer, bank: QuestionBank, assessment: Assessment, scorecard: Scorecard
) -> tuple[BarChart, str]:
    style.title(sheet, "The six principles", "Scores run from 0 (Not in place) to 4 (Embedded).")
    style.header(sheet, layout.HEADER_ROW, PRINCIPLE_COLUMNS)
    rows = tables.principle_rows(bank, scorecard)
    for offset, (row, principle_score) in enumerate(zip(rows, scorecard.principles, strict=True)):
        number = layout.FIRST_DATA_ROW + offset
        writer.row(
            sheet,
            number,
            [
                row["Principle"],
                row["Score"],
                row["Band"],
                row["Target"],
                row["Statements scored"],
                principle_score.explanation(bank),
            ],
        )
        sheet.cell(row=number, column=2).number_format = "0.0"
    last = layout.FIRST_DATA_ROW + len(rows) - 1
    style.wrap_block(sheet, layout.FIRST_DATA_ROW, last, len(PRINCIPLE_COLUMNS))
    style.data_table(sheet, "PrincipleScores", layout.HEADER_ROW, last, len(PRINCIPLE_COLUMNS))

    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Principle scores (0 Not in place to 4 Embedded)"
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=2, min_row=layout.HEADER_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=layout.FIRST_DATA_ROW, max_row=last))
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 4
    chart.y_axis.majorUnit = 1
    chart.y_axis.title = "Score"
    chart.x_axis.scaling.orientation = "maxMin"  # principle 1 at the top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.series[0].graphicalProperties.solidFill = style.BLUE
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent", "showLeaderLines"):
        setattr(chart.dataLabels, flag, False)
    chart.gapWidth = 60
    chart.height = 8.5
    chart.width = 26
    chart_row = last + 2
    sheet.add_chart(chart, f"A{chart_row}")

    row = chart_row + CHART_ROWS + 1
    sheet.cell(row=row, column=1, value="Each statement's level and target").font = style.SUBTITLE_FONT
    style.header(sheet, row + 1, ["Statement", "Level", "Answer", "Target", "Weight", "Evidence note"])
    refs = layout.statement_refs(bank)
    results = scorecard.statement_results()
    for offset, (result, item) in enumerate(
        zip(results, tables.statement_rows(bank, assessment, results), strict=True)
    ):
        writer.row(
            sheet,
            row + 2 + offset,
            [
                f"{refs[result.statement.id]} {item['Statement']}",
                item["Level"],
                item["Answer"],
                f"{item['Target']} {bank.level_label(item['Target'])}",
                item["Weight"],
                item["Evidence note"],
            ],
        )
    style.wrap_block(sheet, row + 2, row + 1 + len(results), 6)
    style.data_table(sheet, "StatementLevels", row + 1, row + 1 + len(results), 6)
    style.widths(sheet, {"A": 46, "B": 9, "C": 16, "D": 16, "E": 12, "F": 56})
    sheet.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    style.print_setup(sheet, title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}")
    described = "; ".join(f"{item['Principle']} {item['Score shown']}" for item in rows)
    return chart, f"Bar chart of the six principle scores, from 0 (Not in place) to 4 (Embedded): {described}."


# ---- Partners --------------------------------------------------------------------------------------
def _partners(sheet, writer, bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> None:
    style.title(sheet, "Partner coverage")
    extra = ["Strategic coverage", "Operational coverage", "Involved", "National survey (2013)", "About the figure"]
    extra.append(layout.REF_COLUMN)
    grid = write_partner_grid_heading(sheet, bank, [("Coverage", 3), ("National benchmark", 2)])
    style.header(sheet, layout.HEADER_ROW, extra, start_column=grid + 1)
    words = wording.partner_words(bank)
    indicators = ordered_indicators(bank)
    rows = tables.partner_rows(scorecard)
    for offset, (coverage, row) in enumerate(zip(scorecard.partners, rows, strict=True)):
        number = layout.FIRST_DATA_ROW + offset
        answers = [words.get(assessment.partner_answer(coverage.partner.id, i.id) or "", "") for i in indicators]
        writer.row(
            sheet,
            number,
            [
                coverage.partner.name,
                *answers,
                _fraction(coverage.strategic),
                _fraction(coverage.operational),
                row["Involved"],
                row["National figure shown"],
                row["About the national figure"],
                coverage.partner.id,
            ],
        )
        for column in (grid + 1, grid + 2):
            sheet.cell(row=number, column=column).number_format = "0%"
    last = layout.FIRST_DATA_ROW + len(rows) - 1
    style.wrap_block(sheet, layout.FIRST_DATA_ROW, last, grid + len(extra))
    style.data_table(sheet, "PartnerCoverage", layout.HEADER_ROW, last, grid + len(extra))
    colour_partner_answers(sheet, bank, layout.FIRST_DATA_ROW, last)
    coverage_area = f"{get_column_letter(grid + 1)}{layout.FIRST_DATA_ROW}:{get_column_letter(grid + 2)}{last}"
    sheet.conditional_formatting.add(
        coverage_area,
        ColorScaleRule(
            start_type="num", start_value=0, start_color="F6D7D2", mid_type="num", mid_value=0.5, mid_color="FFF2CC",
            end_type="num", end_value=1, end_color="CCE2D8",
        ),
    )  # fmt: skip
    note_row = last + 2
    note = sheet.cell(
        row=note_row,
        column=1,
        value=(
            "Yes counts 1, Partly 0.5, No 0; Don't know is not scored. A partner is involved at a level when its "
            "coverage there is 50% or more. National figures: Home Office survey of IOM arrangements (2013), "
            f"as reported in {get_library().survey.source.cite()}."
        ),
    )
    note.font = style.NOTE_FONT
    note.alignment = style.WRAP
    printed = grid + len(extra) - 1  # everything but Ref
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=printed)
    style.widths(sheet, {"A": 22})
    for column in range(2, grid + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    for column, width in zip(range(grid + 1, grid + 6), (12, 12, 11, 14, 44), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    style.ref_column(sheet, grid + len(extra), layout.FIRST_DATA_ROW, last)
    sheet.freeze_panes = f"B{layout.FIRST_DATA_ROW}"
    style.print_setup(sheet, title_rows=f"2:{layout.HEADER_ROW}", last_column=printed)


def _fraction(percent: float | None) -> float | str:
    """A coverage as a fraction for a cell formatted as a percentage, or "Not known", never a blank."""
    return tables.NOT_KNOWN if percent is None else percent / 100


# ---- Action plan -----------------------------------------------------------------------------------
def action_rows(bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> list[ActionRow]:
    """The plan as sheet rows: ranked actions, those whose gap has closed, then the board's own, with its records."""
    plan = build_plan(bank, get_library(), assessment, scorecard)
    rows = []
    for action in plan.all():
        edit = action.edit or ActionEdit(action_id=action.id)
        own = action.state == "own"
        if own:
            priority = "Board's own"
        elif action.state == "closed":
            priority = "Gap closed"
        elif action.state == "awaiting":
            priority = "Not yet re-assessed"
        else:
            priority = f"{action.rank} of {len(plan.actions)}"
        rows.append(
            ActionRow(
                action_id=action.id,
                number=action.rank,
                priority=priority,
                what=edit.what if own else f"{action.title}\n{action.what}",
                principle="" if action.principle is None else str(action.principle),
                partner=", ".join(_partner_name(bank, p) for p in action.partners),
                lead=action.lead,
                owner=edit.owner,
                due=edit.due,
                status=ACTION_STATUS_LABELS[edit.status],
                cost=COST_TEXT[action.cost],
                example="; ".join(f"{e.area}: {e.title}" for e in action.examples),
                source="; ".join(source.cite() for source in action.sources),
                notes=edit.notes,
                dropped_reason=edit.dropped_reason,
                own=own,
            )
        )
    return rows


def _partner_name(bank: QuestionBank, partner_id: str) -> str:
    try:
        return bank.partner(partner_id).name
    except KeyError:
        return partner_id


ACTION_WIDTHS = {
    "No.": 5, "Priority": 9, "Action": 46, "Principle": 9, "Partner": 14, "Lead": 14, "Owner": 15, "Due": 11,
    "Status": 12, "Notes": 26, "Reason dropped": 18, "Cost-neutral": 16, "Practice example": 26, "Source": 30,
    "Added by the board": 10, layout.REF_COLUMN: layout.REF_WIDTH,
}  # fmt: skip
DUE_PROMPT = "A date, for example 31/03/2027"


def _action_plan(sheet, writer, rows: list[ActionRow]) -> None:
    style.title(
        sheet,
        "Action plan",
        "Owner, Due, Status, Notes and Reason dropped can be changed here and loaded back into the app.",
    )
    columns = layout.ACTION_COLUMNS
    style.header(sheet, layout.HEADER_ROW, columns)
    letter = {name: get_column_letter(number) for number, name in enumerate(columns, start=1)}
    for offset, item in enumerate(rows):
        number = layout.FIRST_DATA_ROW + offset
        values = {
            layout.NUMBER_COLUMN: item.number,
            "Priority": item.priority,
            "Action": item.what,
            "Principle": item.principle,
            "Partner": item.partner,
            "Lead": item.lead,
            "Owner": item.owner,
            "Due": item.due,
            "Status": item.status,
            "Notes": item.notes,
            "Reason dropped": item.dropped_reason,
            "Cost-neutral": item.cost,
            "Practice example": item.example,
            "Source": item.source,
            "Added by the board": "Yes" if item.own else "No",
            layout.REF_COLUMN: item.action_id,
        }
        writer.row(sheet, number, [values[name] for name in columns])
        sheet[f"{letter['Due']}{number}"].number_format = "dd/mm/yyyy"
    if rows:
        last = layout.FIRST_DATA_ROW + len(rows) - 1
        style.wrap_block(sheet, layout.FIRST_DATA_ROW, last, len(columns))
        table = Table(displayName="ActionPlan", ref=f"A{layout.HEADER_ROW}:{letter[layout.REF_COLUMN]}{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(table)
        statuses = style.list_validation(
            list(ACTION_STATUS_LABELS.values()),
            prompt="Not started, In progress, Done or Dropped",
            error="Choose Not started, In progress, Done or Dropped.",
        )
        sheet.add_data_validation(statuses)
        statuses.add(f"{letter['Status']}{layout.FIRST_DATA_ROW}:{letter['Status']}{last}")
        due = style.date_validation(prompt=DUE_PROMPT, error="Enter a date from 2000 to 2100, for example 31/03/2027.")
        sheet.add_data_validation(due)
        due.add(f"{letter['Due']}{layout.FIRST_DATA_ROW}:{letter['Due']}{last}")
        style.ref_column(sheet, len(columns), layout.FIRST_DATA_ROW, last)
    else:
        sheet.cell(row=layout.FIRST_DATA_ROW + 1, column=1, value="There are no actions yet.").font = style.NOTE_FONT
    style.widths(sheet, {letter[name]: width for name, width in ACTION_WIDTHS.items()})
    sheet.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    style.print_setup(
        sheet, title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}", last_column=layout.ACTION_PRINTED_COLUMNS
    )


# ---- Responses -------------------------------------------------------------------------------------
def _responses(sheet, writer, bank: QuestionBank, assessment: Assessment) -> None:
    note = (
        "Every answer as given. 'Not applicable' needs a reason; until it has one the statement counts as unanswered."
    )
    if assessment.respondents:
        pending = not_yet_agreed(bank, assessment)
        note = (
            "The partnership's answers, agreed from each agency's own answers. "
            + (
                f"{len(pending)} statements are not yet agreed: their answers are the proposed levels (see the "
                "Agreement sheet). "
                if pending
                else "Every statement is agreed. "
            )
            + "'Not applicable' needs a reason; until it has one the statement counts as unanswered."
        )
    style.title(sheet, "Responses", note)
    last = write_responses(sheet, writer, bank, assessment, levels=False)
    style.data_table(sheet, "AllResponses", layout.HEADER_ROW, last, sheet.max_column)


# ---- Method and sources ----------------------------------------------------------------------------
def cited_sources(bank: QuestionBank) -> list[tuple[Source, list[str]]]:
    """Every source the bank and the benchmark library cite, with what cites it, in first-cited order."""
    found: dict[tuple[str, str], tuple[Source, list[str]]] = {}

    def cite(source: Source, what: str) -> None:
        entry = found.setdefault((source.file, source.section), (source, []))
        if what not in entry[1]:
            entry[1].append(what)

    refs = layout.statement_refs(bank)
    for principle in bank.principles:
        cite(principle.source, f"Principle {principle.number}")
        for statement in principle.statements:
            for source in statement.sources:
                cite(source, f"Statement {refs[statement.id]}")
    for partner in bank.partners.partners:
        cite(partner.source, "Partner list")
    for indicator in bank.partners.indicators:
        cite(indicator.source, "Partner indicators")
    library = get_library()
    cite(library.survey.source, "National survey")
    for figure in library.national_figures:
        cite(figure.source, "National figures")
    for example in library.examples:
        for source in example.sources:
            cite(source, f"Practice example: {example.title}")
    return list(found.values())


def _method(sheet, writer, bank: QuestionBank) -> None:
    style.title(
        sheet, "Method and sources", "How every score in this report is calculated, and where the questions come from."
    )
    style.header(sheet, layout.HEADER_ROW, ["Step", "The scoring method"])
    row = layout.FIRST_DATA_ROW
    for number, step in enumerate(method_steps(bank), start=1):
        writer.row(sheet, row, [number, step])
        row += 1
    style.wrap_block(sheet, layout.FIRST_DATA_ROW, row - 1, 2)
    style.data_table(sheet, "MethodSteps", layout.HEADER_ROW, row - 1, 2)
    row += 1
    sheet.cell(row=row, column=1, value="Levels").font = style.SUBTITLE_FONT
    style.header(sheet, row + 1, ["Level", "What it means"])
    for offset, level in enumerate(bank.levels, start=2):
        writer.row(sheet, row + offset, [f"{level.number} {level.label}", level.meaning])
    style.wrap_block(sheet, row + 2, row + 1 + len(bank.levels), 2)
    style.data_table(sheet, "Levels", row + 1, row + 1 + len(bank.levels), 2)
    row += len(bank.levels) + 3
    sheet.cell(row=row, column=1, value="Sources cited").font = style.SUBTITLE_FONT
    # Sources by their documents' titles; the file each is kept in comes last, for tracing, and does not print.
    style.header(sheet, row + 1, [layout.NUMBER_COLUMN, "Source", "Cited for", "Source file"])
    sources = cited_sources(bank)
    for offset, (source, uses) in enumerate(sources, start=2):
        shown = uses if len(uses) <= 8 else [*uses[:8], f"and {len(uses) - 8} more"]
        writer.row(sheet, row + offset, [offset - 1, source.cite(), "; ".join(shown), source.file])
    style.wrap_block(sheet, row + 2, row + 1 + len(sources), 3)
    style.data_table(sheet, "Sources", row + 1, row + 1 + len(sources), 4)
    style.widths(sheet, {"A": 16, "B": 84, "C": 50})
    style.ref_column(sheet, 4, row + 2, row + 1 + len(sources))
    sheet.column_dimensions["D"].width = 24
    style.print_setup(sheet, title_rows="1:1", last_column=3)
