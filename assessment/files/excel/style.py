"""How the report and the blank template look and how text is written into them safely.

Fonts, fills, headings, widths, print set-up, drop-down lists and the hidden Metadata sheet. Every
user-supplied string goes through ``SheetWriter`` (``layout.safe_text``) so it is stored as text (never a
formula), without control characters, and within Excel's cell limit. Only the writers use this module.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from assessment.files.excel.layout import (
    FORMAT_NAME,
    FORMAT_VERSION,
    HEADER_ROW,
    NOT_KNOWN,
    NOT_NEEDED,
    NOT_RANKED,
    NUMBER_COLUMN,
    REASON_COLUMNS,
    REF_WIDTH,
    safe_text,
)
from assessment.free_text import clean_text
from questions.models import QuestionBank

BLUE = "1D70B8"
DARK = "0B0C0C"
GREY = "505A5F"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=BLUE)
TITLE_FONT = Font(bold=True, size=16, color=DARK)
SUBTITLE_FONT = Font(bold=True, size=12, color=DARK)
NOTE_FONT = Font(italic=True, color=GREY)
# An empty table cell's word ("Not known"): grey italic, so it reads as no value, and the importer can tell it from
# a note that happens to say the same words (layout.is_placeholder).
PLACEHOLDER_FONT = Font(italic=True, color=GREY)
REF_FONT = Font(color=GREY, size=9)
REF_ALIGNMENT = Alignment(vertical="top")
ANSWER_FILL = PatternFill("solid", fgColor="FFF7BF")
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER = Alignment(horizontal="center", vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
THIN = Side(style="thin", color="B1B4B6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class SheetWriter:
    """Writes values into cells safely, and remembers what it had to cut."""

    warnings: list[str] = field(default_factory=list)

    def put(self, cell: Cell, value: Any, *, where: str = "") -> Cell:
        if isinstance(value, str):
            text, warning = safe_text(value)
            if warning:
                self.warnings.append(f"{cell.parent.title}!{cell.coordinate}{where}: {warning}")
            cell.value = text
            # openpyxl turns a string starting with '=' into a formula; user text is always text.
            cell.data_type = "s"
            if text.startswith(_FORMULA_START):
                cell.quotePrefix = True
        else:
            cell.value = value
        return cell

    def row(self, sheet: Worksheet, row: int, values: list[Any] | tuple[Any, ...], *, start_column: int = 1) -> None:
        for offset, value in enumerate(values):
            self.put(sheet.cell(row=row, column=start_column + offset), value)


def title(sheet: Worksheet, text: str, note: str = "") -> None:
    sheet["A1"] = clean_text(text)
    sheet["A1"].font = TITLE_FONT
    sheet.row_dimensions[1].height = 24
    if note:
        sheet["A2"] = note
        sheet["A2"].font = NOTE_FONT


def header(sheet: Worksheet, row: int, names: list[str] | tuple[str, ...], *, start_column: int = 1) -> None:
    first = None
    for offset, name in enumerate(names):
        cell = sheet.cell(row=row, column=start_column + offset, value=name)
        if first is not None:
            cell._style = copy(first._style)  # see wrap_block: copying a finished style is much faster
            continue
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = BOX
        first = cell


def widths(sheet: Worksheet, values: dict[str, float]) -> None:
    for column, width in values.items():
        sheet.column_dimensions[column].width = width


def wrap_block(sheet: Worksheet, first_row: int, last_row: int, last_column: int) -> None:
    # Setting styles through openpyxl's API hashes them per cell; a cell with the same style as one already
    # done gets a copy of that one's result, which makes the report several times faster to build.
    done: dict[tuple[bool, tuple[int, ...]], Any] = {}
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=last_column):
        for cell in row:
            numeric = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
            key = (numeric, tuple(cell._style or ()))
            if key in done:
                cell._style = copy(done[key])
                continue
            cell.alignment = NUMBER if numeric else WRAP
            cell.border = BOX
            done[key] = copy(cell._style)


def fit_rows(sheet: Worksheet, first_row: int = HEADER_ROW) -> None:
    """Set each row's height to fit its wrapped text: neither Excel nor LibreOffice does it for generated files."""
    spans: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        width = sum(_width(sheet, column) for column in range(merged.min_col, merged.max_col + 1))
        spans[(merged.min_row, merged.min_col)] = width
        covered |= {
            (r, c) for r in range(merged.min_row, merged.max_row + 1) for c in range(merged.min_col, merged.max_col + 1)
        }
    alignments, fonts = sheet.parent._alignments, sheet.parent._fonts
    widths = {column: _width(sheet, column) for column in range(1, sheet.max_column + 1)}
    lines: dict[int, int] = {}
    for (row, column), cell in sheet._cells.items():  # only the cells that exist, not the empty grid
        if row < first_row or not isinstance(cell.value, str) or not cell.value:
            continue
        if (row, column) in covered and (row, column) not in spans:
            continue
        style = cell._style  # None for a cell written without any style: it does not wrap
        if style is None or not alignments[style.alignmentId].wrap_text:
            continue
        width = spans.get((row, column)) or widths[column]
        per_line = max(width * (1.0 if fonts[style.fontId].b else 1.15) - 1, 4)
        count = wrapped_lines(cell.value, int(per_line))
        lines[row] = max(lines.get(row, 1), count)
    for row, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row].height = 15 * count + 2


def wrapped_lines(text: str, per_line: int) -> int:
    """How many lines a text takes when wrapped at spaces, as a spreadsheet does, to ``per_line`` characters."""
    per_line = max(per_line, 1)
    count = 0
    for paragraph in text.split("\n"):
        lines, length = 1, 0
        for word in paragraph.split():
            needed = len(word) if length == 0 else length + 1 + len(word)
            if needed <= per_line:
                length = needed
                continue
            if length:  # the word starts a new line
                lines += 1
            lines += (len(word) - 1) // per_line  # a word longer than a line is broken
            length = len(word) % per_line or per_line
        count += lines
    return count


def _width(sheet: Worksheet, column: int) -> float:
    width = sheet.column_dimensions[get_column_letter(column)].width
    return width if width else 8.43


# Printing. Column widths are in characters; LibreOffice prints a character of width about 2.25 mm (Excel a little
# less), so this estimate errs on the side of a larger page. Body text is 11 pt, so a scale of 0.75 prints it at
# about 8.25 pt: the smallest a board member should have to read.
MM_PER_CHARACTER = 2.25
MIN_PRINT_SCALE = 0.75
_MARGIN_INCHES = 0.4
PAPER_WIDTHS_MM = {"A4": 297.0, "A3": 420.0}  # landscape


def printed_width_mm(sheet: Worksheet, last_column: int) -> float:
    return sum(_width(sheet, column) for column in range(1, last_column + 1)) * MM_PER_CHARACTER


def print_scale(sheet: Worksheet, last_column: int, paper: str) -> float:
    """The scale 'fit to the width of the page' prints at, estimated from the column widths."""
    page = PAPER_WIDTHS_MM[paper] - 2 * _MARGIN_INCHES * 25.4
    return min(1.0, page / printed_width_mm(sheet, last_column))


# A4 landscape is 210 mm high; the top and bottom margins print_setup sets leave this much for rows, in points.
A4_LANDSCAPE_PRINTED_HEIGHT_PT = (210.0 - 25.4 * (0.5 + 0.75)) / 25.4 * 72
# A set scale, unlike fit-to-width, must not be too large: measured in LibreOffice 7.4 (which prints a character
# of width wider than Excel does), a column's width prints at about 2.46 mm a character at 100%.
LIBREOFFICE_MM_PER_CHARACTER = 2.5
DEFAULT_ROW_HEIGHT_PT = 15.0  # Excel's default for 11 pt text; LibreOffice's is lower, so this errs on the safe side


def row_height(sheet: Worksheet, row: int) -> float:
    height = sheet.row_dimensions[row].height if row in sheet.row_dimensions else None
    return float(height) if height else DEFAULT_ROW_HEIGHT_PT


def two_page_scale(sheet: Worksheet, break_row: int, last_column: int, *, margin: float = 0.97) -> int:
    """The print scale, in per cent, at which the printed columns fit an A4 landscape page's width and both the rows
    up to ``break_row`` and the rows after it (with the repeated title rows) fit its height, with a little to spare.
    """
    titles = 0
    if sheet.print_title_rows:
        first, last = (int(part.lstrip("$")) for part in sheet.print_title_rows.split(":"))
        titles = sum(row_height(sheet, row) for row in range(first, last + 1))
    page_one = sum(row_height(sheet, row) for row in range(1, break_row + 1))
    page_two = titles + sum(row_height(sheet, row) for row in range(break_row + 1, sheet.max_row + 1))
    tallest = max(page_one, page_two)
    printed_width = sum(_width(sheet, column) for column in range(1, last_column + 1)) * LIBREOFFICE_MM_PER_CHARACTER
    page_width = PAPER_WIDTHS_MM["A4"] - 2 * _MARGIN_INCHES * 25.4
    scale = min(1.0, page_width / printed_width, A4_LANDSCAPE_PRINTED_HEIGHT_PT / tallest) * margin
    return max(10, int(scale * 100))  # 10% is the smallest scale Excel accepts


def print_setup(sheet: Worksheet, *, title_rows: str | None = None, last_column: int | None = None) -> None:
    """Landscape, fitted to the width of the page, with the header rows repeated on every page.

    Only columns 1 to ``last_column`` print (by default every column), so technical columns such as the
    internal ids can be kept last and left off paper. The paper is A4 when the text stays readable on it
    (see ``MIN_PRINT_SCALE``), otherwise A3. Call it last: it also fits the row heights to the column widths.
    """
    fit_rows(sheet)
    last_column = last_column or sheet.max_column
    a4 = print_scale(sheet, last_column, "A4") >= MIN_PRINT_SCALE
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4 if a4 else sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = _MARGIN_INCHES
    sheet.page_margins.top = 0.5
    sheet.page_margins.bottom = 0.75  # room for the footer below the printed rows
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_area = f"A1:{get_column_letter(last_column)}{max(sheet.max_row, 1)}"
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.center.text = "&A, page &P of &N"  # the report's footer adds its area and year


def ref_column(sheet: Worksheet, column: int, first_row: int, last_row: int) -> None:
    """The internal id column: narrow and grey, since people go by the No. column; unwrapped, so rows stay low."""
    sheet.column_dimensions[get_column_letter(column)].width = REF_WIDTH
    for (cell,) in sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=column, max_col=column):
        cell.font = REF_FONT
        cell.alignment = REF_ALIGNMENT


def list_validation(options: list[str], *, prompt: str, error: str) -> DataValidation:
    """A dropdown of fixed words; Excel refuses anything else."""
    formula = '"' + ",".join(options) + '"'
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = True
    validation.errorTitle = "Choose from the list"
    validation.error = error
    validation.showInputMessage = True
    validation.prompt = prompt
    return validation


def date_validation(*, prompt: str, error: str) -> DataValidation:
    """Excel refuses anything but a date from 2000 to 2100 (the dates the app accepts)."""
    first, last = int(to_excel(date(2000, 1, 1))), int(to_excel(date(2100, 12, 31)))
    validation = DataValidation(type="date", operator="between", formula1=str(first), formula2=str(last))
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = "Enter a date"
    validation.error = error
    validation.showInputMessage = True
    validation.promptTitle = "Due"
    validation.prompt = prompt
    return validation


def write_metadata(sheet: Worksheet, *, kind: str, bank: QuestionBank, extra: dict[str, str] | None = None) -> None:
    """The hidden sheet the importer reads first: what this workbook is and which bank it was made for."""
    rows = {
        "format": FORMAT_NAME,
        "format_version": str(FORMAT_VERSION),
        "kind": kind,
        "bank_version": bank.version,
        **(extra or {}),
    }
    writer = SheetWriter()
    for number, (key, value) in enumerate(rows.items(), start=1):
        writer.row(sheet, number, [key, value])
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def footer(sheet: Worksheet, where: str) -> None:
    """Every printed page says whose it is, which sheet, and which page: '<area> <year>' on the left, and
    '<sheet>, page 2 of 3' on the right (nothing in the middle, so that a long area name has the room it needs)."""
    sheet.oddFooter.left.text = where.replace("&", "&&")  # '&' starts a footer code
    sheet.oddFooter.center.text = None
    sheet.oddFooter.right.text = "&A, page &P of &N"


def fill_blanks(sheet: Worksheet) -> None:
    """Every empty cell of the sheet's tables says "Not known" ("Not needed" under a reason column that only some
    rows need, "Not ranked" for an action's number), so that nothing prints blank."""
    for table in sheet.tables.values():
        rows = sheet[table.ref]
        headings = [str(cell.value) for cell in rows[0]]
        for row in rows[1:]:
            for heading, cell in zip(headings, row, strict=True):
                if cell.value is None or cell.value == "":
                    cell.value = (
                        NOT_NEEDED
                        if heading in REASON_COLUMNS
                        else NOT_RANKED
                        if heading == NUMBER_COLUMN
                        else NOT_KNOWN
                    )
                    cell.data_type = "s"
                    cell.font = PLACEHOLDER_FONT


def data_table(sheet: Worksheet, name: str, header_row: int, last_row: int, last_column: int) -> None:
    """Mark a block as a table with a header row (WCAG 1.3.1), so Excel and screen readers announce each cell's
    column heading. A block with no data rows is left as it is: a table needs at least one."""
    if last_row <= header_row:
        return
    table = Table(displayName=name, ref=f"A{header_row}:{get_column_letter(last_column)}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    sheet.add_table(table)
