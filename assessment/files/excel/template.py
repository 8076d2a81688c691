"""The blank template a board fills in offline: instructions, area details, responses and the partner grid.

Only the answer cells are unlocked and the sheets are protected, so the layout the importer expects
stays intact. A hidden Metadata sheet records the bank version and the template format version.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from assessment import wording
from assessment.files.excel import layout, style
from assessment.files.excel.layout import TARGET_HEADER_ROW, ordered_indicators
from assessment.files.excel.sheets import (
    RenderedWorkbook,
    colour_partner_answers,
    write_partner_grid_heading,
    write_responses,
)
from assessment.model import DEFAULT_TARGET, Assessment
from questions.models import QuestionBank

UNLOCKED = Protection(locked=False)


def build_template(bank: QuestionBank, assessment: Assessment | None = None) -> bytes:
    """The blank template as .xlsx bytes; with ``assessment``, pre-filled with its answers."""
    return render_template(bank, assessment).to_bytes()


def render_template(bank: QuestionBank, assessment: Assessment | None = None) -> RenderedWorkbook:
    writer = style.SheetWriter()
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = layout.INSTRUCTIONS
    _instructions(instructions, bank)
    _area_details(workbook.create_sheet(layout.AREA_DETAILS), writer, bank, assessment)
    responses = workbook.create_sheet(layout.RESPONSES)
    style.title(
        responses,
        "Responses",
        "Choose an answer in the yellow Answer column for every statement. What each level looks like is to the right.",
    )
    last = write_responses(responses, writer, bank, assessment, levels=True)
    for row in responses.iter_rows(min_row=layout.FIRST_DATA_ROW, max_row=last, min_col=4, max_col=6):
        for cell in row:
            cell.protection = UNLOCKED
            cell.fill = style.ANSWER_FILL
    _protect(responses)
    _partner_grid(workbook.create_sheet(layout.PARTNERS), writer, bank, assessment)
    style.write_metadata(workbook.create_sheet(layout.METADATA), kind="template", bank=bank)
    workbook.security = WorkbookProtection(lockStructure=True)
    props = workbook.properties
    props.title = (
        "IOM self-assessment: blank template" if assessment is None else f"IOM self-assessment: {assessment.title}"
    )
    props.subject = "Integrated Offender Management self-assessment form"
    props.creator = "IOM Self-Assessment"
    props.category = "Self-assessment template"
    props.keywords = f"IOM; self-assessment; question bank {bank.version}"
    workbook.active = 1
    return RenderedWorkbook(workbook, writer.warnings)


def _protect(sheet) -> None:
    """Protect the layout, but let people resize, filter and select."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _instructions(sheet, bank: QuestionBank) -> None:
    style.title(sheet, "IOM partnership self-assessment: the form to fill in offline")
    lines = [
        "How to fill it in",
        "1. On 'Area details', enter the name of your IOM area and the year. Each principle's target is "
        "3 Established. Change it if your board is aiming for a different level. If each agency fills in its own "
        "copy, choose your agency under 'Who is answering'.",
        "2. On 'Responses', choose an answer for each statement from the list in the yellow Answer column: "
        "a level from 0 to 4, Don't know or Not applicable. What each level looks like is to the right.",
        "3. In 'Evidence note', say what shows your answer is right, for example board minutes, agreements or data. "
        "If a statement does not apply to your area, choose Not applicable and say why in 'Reason if not "
        "applicable'. Without a reason, the statement counts as unanswered.",
        "4. On 'Partners', answer Yes, Partly, No or Don't know for each partner and each question.",
        "5. Save the file as an Excel workbook (.xlsx) and upload it on the Start page of the app. A coordinator "
        "collecting each agency's copy can upload them all at once on the 'Agree the position' page. The app checks "
        "every answer before it saves anything. If it cannot read an answer, it tells you the sheet and cell.",
        "",
        "Keep it about the partnership",
        "Do not enter names or other details of offenders, victims or staff in the answers and notes. The "
        "self-assessment is about how the partnership works, not about individuals. The only name it asks for is "
        "your own, and only if you choose to give it, under 'Who is answering'.",
        "",
        "Do not change the layout",
        "You can only change the yellow cells. Do not rename sheets, or add, move or delete rows or columns: the "
        "app finds each answer by where it is. If something goes wrong, download a new template from the Start page.",
        "",
        "Printing",
        "The Responses sheet prints best on A3 paper. The other sheets print on A4.",
        "",
        f"Question bank version {bank.version}: {len(bank.statements())} statements under the six IOM Key "
        f"Principles (2015), numbered 1.1, 1.2 and so on as in the app, and {len(bank.partners.partners)} partners.",
        "",
        "The levels",
    ]
    row = 3
    for line in lines:
        cell = sheet.cell(row=row, column=1, value=line)
        cell.alignment = style.WRAP
        if line and not line[0].isdigit() and len(line) < 40:
            cell.font = style.SUBTITLE_FONT
        row += 1
    style.header(sheet, row, ["Level", "What it means"])
    for level in bank.levels:
        row += 1
        sheet.cell(row=row, column=1, value=f"{level.number} {level.label}").font = Font(bold=True)
        sheet.cell(row=row, column=2, value=level.meaning)
    style.wrap_block(sheet, row - len(bank.levels) + 1, row, 2)
    for number in range(3, row - len(bank.levels) - 1):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=2)
    style.widths(sheet, {"A": 24, "B": 100})
    style.print_setup(sheet)
    _protect(sheet)


def _area_details(sheet, writer, bank: QuestionBank, assessment: Assessment | None) -> None:
    style.title(sheet, "Area details", "Enter the area and year in the yellow cells.")
    for row, label, value in (
        (3, "Area", assessment.area if assessment else ""),
        (4, "Year", assessment.year if assessment else None),
    ):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = writer.put(sheet.cell(row=row, column=2), value)
        cell.protection = UNLOCKED
        cell.fill = style.ANSWER_FILL
        cell.border = style.BOX
    year = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True)
    year.error = "Enter the year as four digits, for example 2026."
    year.showErrorMessage = True
    sheet.add_data_validation(year)
    year.add(layout.YEAR_CELL)
    sheet.cell(row=TARGET_HEADER_ROW - 1, column=1, value="Target level for each principle").font = style.SUBTITLE_FONT
    style.header(sheet, TARGET_HEADER_ROW, ["Principle", "Target level"])
    targets = style.list_validation(
        [f"{level.number} {level.label}" for level in bank.levels],
        prompt="The level the board aims for",
        error="Choose a level from 0 to 4 from the list.",
    )
    sheet.add_data_validation(targets)
    for principle in bank.principles:
        row = TARGET_HEADER_ROW + principle.number
        writer.put(sheet.cell(row=row, column=1), f"{principle.number}. {principle.name}").alignment = style.WRAP
        target = assessment.target(principle.number) if assessment else DEFAULT_TARGET
        cell = sheet.cell(row=row, column=2, value=f"{target} {bank.level_label(target)}")
        cell.protection = UNLOCKED
        cell.fill = style.ANSWER_FILL
        cell.border = style.BOX
        targets.add(cell.coordinate)
    _agency(sheet, writer, bank)
    style.widths(sheet, {"A": 75, "B": 30})
    style.print_setup(sheet)
    _protect(sheet)


def _agency(sheet, writer, bank: QuestionBank) -> None:
    """Who is answering (issue 10): each agency can fill in its own copy, and the coordinator uploads them all."""
    heading = sheet.cell(row=layout.AGENCY_HEADING_ROW, column=1, value="Who is answering")
    heading.font = style.SUBTITLE_FONT
    note = (
        "If each agency fills in its own copy, choose your agency: the app keeps each agency's answers apart and "
        "proposes the partnership's answers from them. Leave it as it is if the board answers together."
    )
    sheet.cell(row=layout.AGENCY_HEADING_ROW, column=2, value=note).alignment = style.WRAP
    agencies = style.list_validation(
        [layout.BOARD_AGENCY, *(p.name for p in bank.partners.partners), layout.OTHER_AGENCY],
        prompt="The agency you answer for",
        error="Choose your agency from the list, or 'Other' and name it in the cell below.",
    )
    sheet.add_data_validation(agencies)
    for field, row in layout.AGENCY_ROWS.items():
        sheet.cell(row=row, column=1, value=layout.AGENCY_LABELS[field]).font = Font(bold=True)
        cell = writer.put(sheet.cell(row=row, column=2), layout.BOARD_AGENCY if field == "agency" else None)
        cell.protection = UNLOCKED
        cell.fill = style.ANSWER_FILL
        cell.border = style.BOX
        if field == "agency":
            agencies.add(cell.coordinate)


def _partner_grid(sheet, writer, bank: QuestionBank, assessment: Assessment | None) -> None:
    style.title(sheet, "Partners", "For each partner, is this true? Choose Yes, Partly, No or Don't know.")
    columns = write_partner_grid_heading(sheet, bank)
    words = wording.partner_words(bank)
    indicators = ordered_indicators(bank)
    validation = style.list_validation(
        list(words.values()), prompt="Yes, Partly, No or Don't know", error="Choose Yes, Partly, No or Don't know."
    )
    sheet.add_data_validation(validation)
    row = layout.HEADER_ROW
    for partner in bank.partners.partners:
        row += 1
        answers = [
            words.get((assessment.partner_answer(partner.id, i.id) if assessment else None) or "", "")
            for i in indicators
        ]
        writer.row(sheet, row, [partner.name, *answers, partner.id])
    style.wrap_block(sheet, layout.FIRST_DATA_ROW, row, columns + 1)
    first = len(layout.PARTNER_FIXED_COLUMNS) + 1
    for cells in sheet.iter_rows(min_row=layout.FIRST_DATA_ROW, max_row=row, min_col=first, max_col=columns):
        for cell in cells:
            cell.protection = UNLOCKED
            cell.fill = style.ANSWER_FILL
    validation.add(f"{get_column_letter(first)}{layout.FIRST_DATA_ROW}:{get_column_letter(columns)}{row}")
    colour_partner_answers(sheet, bank, layout.FIRST_DATA_ROW, row)
    style.widths(sheet, {"A": 24})
    for column in range(first, columns + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 15
    style.header(sheet, layout.HEADER_ROW, [layout.REF_COLUMN], start_column=columns + 1)
    style.ref_column(sheet, columns + 1, layout.FIRST_DATA_ROW, row)
    sheet.freeze_panes = f"{get_column_letter(first)}{layout.FIRST_DATA_ROW}"
    style.print_setup(sheet, title_rows=f"2:{layout.HEADER_ROW}", last_column=columns)
    _protect(sheet)
