"""Helpers for the Excel tests: fill the blank template as a user would, and build bad files from good ones."""

from __future__ import annotations

import io
import zipfile
from copy import copy

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from assessment.files.excel.layout import TARGET_HEADER_ROW, ordered_indicators
from assessment.files.excel.template import build_template
from assessment.model import Assessment
from assessment.wording import choice_word, partner_words
from questions.models import QuestionBank


def typed(cell, value) -> None:
    """Put a value in a cell as a user typing it would: text stays text, even when it starts with '='."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def fill_template(bank: QuestionBank, assessment: Assessment, template: bytes | None = None) -> bytes:
    """The blank template filled in cell by cell with ``assessment``'s answers."""
    workbook = load_workbook(io.BytesIO(template or build_template(bank)))
    details = workbook["Area details"]
    typed(details["B3"], assessment.area)
    details["B4"] = assessment.year
    for principle in bank.principles:
        target = assessment.target(principle.number)
        typed(details.cell(TARGET_HEADER_ROW + principle.number, 2), f"{target} {bank.level_label(target)}")
    responses = workbook["Responses"]
    rows = rows_by_ref(responses)
    for statement_id, answer in assessment.answers.items():
        row = rows[statement_id]
        typed(responses.cell(row, 4), choice_word(bank, answer.choice))
        typed(responses.cell(row, 5), answer.evidence)
        typed(responses.cell(row, 6), answer.na_reason)
    partners = workbook["Partners"]
    partner_rows = rows_by_ref(partners)
    words = partner_words(bank)
    for indicator in ordered_indicators(bank):
        column = column_of(partners, indicator.text)
        for partner_id, answers in assessment.partner_answers.items():
            if indicator.id in answers:
                typed(partners.cell(partner_rows[partner_id], column), words[answers[indicator.id]])
    return save(workbook)


def column_of(sheet, heading: str, row: int = 3) -> int:
    """The column with this heading on the header row."""
    return next(cell.column for cell in sheet[row] if cell.value == heading)


def rows_by_ref(sheet) -> dict[str, int]:
    """Each row's internal id (the Ref column) -> its row number."""
    column = column_of(sheet, "Ref")
    return {sheet.cell(row, column).value: row for row in range(4, sheet.max_row + 1) if sheet.cell(row, column).value}


def printed_columns(sheet) -> int:
    """How many columns, from A, the sheet's print area takes in."""
    from openpyxl.utils import column_index_from_string

    area = sheet.print_area
    assert area, f"{sheet.title} has no print area"
    return column_index_from_string(area.split(":")[-1].lstrip("$").rstrip("0123456789").rstrip("$"))


def assert_prints_readably(sheet) -> None:
    """Fitted to the page's width, the printed columns still print 11 pt text at 8 pt or more."""
    from assessment.files.excel.style import print_scale

    setup = sheet.page_setup
    if not sheet.sheet_properties.pageSetUpPr.fitToPage:  # a set scale (the board summary's two pages)
        assert setup.orientation == "landscape" and 11 * setup.scale / 100 >= 8, sheet.title
        return
    assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0, sheet.title
    paper = {int(sheet.PAPERSIZE_A4): "A4", int(sheet.PAPERSIZE_A3): "A3"}[int(setup.paperSize)]
    scale = print_scale(sheet, printed_columns(sheet), paper)
    assert 11 * scale >= 8, f"{sheet.title} prints at {11 * scale:.1f} pt on {paper}"


def to_format_1(data: bytes) -> bytes:
    """The same workbook laid out as format version 1 was, before the No. column: Ref ids first, the old headings.

    The importer must go on reading files people saved before the change.
    """
    from assessment.files.excel.layout import V1_ACTION_COLUMNS

    def reorder(sheet, order) -> None:
        columns = {cell.value: cell.column for cell in sheet[3] if cell.value}
        rows = range(3, sheet.max_row + 1)
        # each value moves with its font: the report's word for an empty cell is told apart by its italics
        values = {name: [sheet.cell(row, columns[name]) for row in rows] for name in order}
        values = {name: [(cell.value, copy(cell.font)) for cell in cells] for name, cells in values.items()}
        cells = [cell for line in sheet.iter_rows(min_row=3) for cell in line if not isinstance(cell, MergedCell)]
        for cell in cells:
            cell.value = None
        for column, name in enumerate(order, start=1):
            for row, (value, font) in zip(rows, values[name], strict=True):
                if not isinstance(sheet.cell(row, column), MergedCell):
                    typed(sheet.cell(row, column), value)
                    sheet.cell(row, column).font = font

    def change(workbook) -> None:
        for row in workbook["Metadata"].iter_rows():
            if row[0].value == "format_version":
                row[1].value = "1"
        responses = workbook["Responses"]
        headings = [cell.value for cell in responses[3] if cell.value]
        reorder(responses, ["Ref", *headings[1:-1]])
        partners = workbook["Partners"]
        headings = [cell.value for cell in partners[3] if cell.value]
        reorder(partners, ["Ref", *headings[:-1]])
        if "Action plan" in workbook.sheetnames:
            reorder(workbook["Action plan"], list(V1_ACTION_COLUMNS))
            workbook["Principles"]["F3"] = "Why it scored so"

    return edit(data, change)


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def edit(data: bytes, change) -> bytes:
    """Open a workbook, let ``change`` alter it, and save it again."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    return save(workbook)


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same zip archive with some parts replaced or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def sheet_part(data: bytes, sheet_name: str) -> str:
    """The zip path of a sheet's XML, found through the workbook's relationships."""
    import re

    workbook = part(data, "xl/workbook.xml").decode()
    rels = part(data, "xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet_name)}"[^>]*r:id="([^"]+)"', workbook)[1]
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    path = target[1].lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"
