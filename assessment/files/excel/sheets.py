"""The sheets the report and the template both write: the Responses list and the partner grid.

They live here so that neither writer imports the other.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessment import wording
from assessment.files.excel import layout, style
from assessment.model import Assessment
from questions.models import QuestionBank


@dataclass(frozen=True)
class RenderedWorkbook:
    workbook: Workbook
    warnings: list[str]
    # Each chart and its text alternative (WCAG 1.1.1), which openpyxl has no setting for.
    chart_descriptions: list[tuple[object, str]] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        if not self.chart_descriptions:
            return buffer.getvalue()
        return describe_charts(buffer.getvalue(), {chart.path: text for chart, text in self.chart_descriptions})


def describe_charts(xlsx: bytes, descriptions: dict[str, str]) -> bytes:
    """Write each chart's description into the drawing that holds it, where Excel and screen readers read alt text.

    ``descriptions`` maps a chart's part name in the file (``/xl/charts/chart1.xml``, known once it is saved) to its
    text. openpyxl names a drawing's n-th chart ``Chart n`` and links it as ``rIdn``.
    """
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            drawing = re.fullmatch(r"xl/drawings/(drawing\d+\.xml)", item.filename)
            if drawing:
                links = source.read(f"xl/drawings/_rels/{drawing[1]}.rels").decode()
                text = data.decode()
                for chart, number in re.findall(r'Target="([^"]+)" Id="rId(\d+)"', links):
                    if chart in descriptions:
                        frame = f'<cNvPr id="{number}" name="Chart {number}" '
                        text = text.replace(frame, f"{frame}descr={quoteattr(descriptions[chart])} ")
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def write_partner_grid_heading(sheet, bank: QuestionBank, extra_groups: list[tuple[str, int]] = ()) -> int:
    """Group labels on row 2 and the column headings on row 3; returns the number of grid columns."""
    indicators = layout.ordered_indicators(bank)
    strategic = sum(1 for i in indicators if i.level == "strategic")
    groups = [("Strategic level", strategic), ("Operational level", len(indicators) - strategic), *extra_groups]
    column = len(layout.PARTNER_FIXED_COLUMNS) + 1
    for label, span in groups:
        cell = sheet.cell(row=2, column=column, value=label)
        cell.font = Font(bold=True, color=style.DARK)
        cell.fill = PatternFill("solid", fgColor="D2E2F1")
        cell.alignment = Alignment(horizontal="center")
        if span > 1:
            sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + span - 1)
        column += span
    columns = layout.partner_grid_columns(bank)
    style.header(sheet, layout.HEADER_ROW, columns)
    sheet.row_dimensions[layout.HEADER_ROW].height = 62
    return len(columns)


def colour_partner_answers(sheet, bank: QuestionBank, first_row: int, last_row: int) -> None:
    """Yes green, Partly amber, No red, Don't know grey: readable at a glance."""
    first = get_column_letter(len(layout.PARTNER_FIXED_COLUMNS) + 1)
    last = get_column_letter(len(layout.PARTNER_FIXED_COLUMNS) + len(bank.partners.indicators))
    area = f"{first}{first_row}:{last}{last_row}"
    words = wording.partner_words(bank)
    for answer_id, colour in (("yes", "CCE2D8"), ("partly", "FFF2CC"), ("no", "F6D7D2"), ("dont_know", "E5E6E7")):
        sheet.conditional_formatting.add(
            area,
            FormulaRule(
                formula=[f'{first}{first_row}="{words[answer_id]}"'],
                fill=PatternFill("solid", fgColor=colour, bgColor=colour),
            ),
        )


def write_responses(sheet, writer, bank: QuestionBank, assessment: Assessment | None, *, levels: bool) -> int:
    """The Responses sheet both workbooks share; returns the last row. ``levels`` adds the level descriptions."""
    columns = list(layout.RESPONSE_COLUMNS)
    if levels:
        columns += [f"Level {level.number}: {level.label}" for level in bank.levels]
    columns.append(layout.REF_COLUMN)
    style.header(sheet, layout.HEADER_ROW, columns)
    refs = layout.statement_refs(bank)
    number = layout.FIRST_DATA_ROW - 1
    for principle, statement in bank.statements():
        number += 1
        answer = assessment.answer(statement.id) if assessment else None
        values = [
            refs[statement.id],
            f"{principle.number}. {principle.name}",
            statement.text,
            wording.choice_word(bank, answer.choice) if answer else "",
            answer.evidence if answer else "",
            answer.na_reason if answer else "",
        ]
        if levels:
            values += list(statement.levels)
        writer.row(sheet, number, [*values, statement.id])
    style.wrap_block(sheet, layout.FIRST_DATA_ROW, number, len(columns))
    style.ref_column(sheet, len(columns), layout.FIRST_DATA_ROW, number)
    validation = style.list_validation(
        wording.answer_words(bank),
        prompt="Choose a level from 0 to 4, Don't know or Not applicable",
        error=f"Choose one of {layout.ANSWER_EXPECTED} from the list.",
    )
    sheet.add_data_validation(validation)
    validation.add(f"D{layout.FIRST_DATA_ROW}:D{number}")
    if levels:  # the template prints the level descriptions too, on A3: every column narrower
        style.widths(sheet, {"A": 5, "B": 16, "C": 36, "D": 14, "E": 30, "F": 20})
        for column in range(7, len(columns)):
            sheet.column_dimensions[get_column_letter(column)].width = 21
    else:
        style.widths(sheet, {"A": 5, "B": 22, "C": 50, "D": 16, "E": 40, "F": 26})
    sheet.freeze_panes = f"D{layout.FIRST_DATA_ROW}"
    style.print_setup(sheet, title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}", last_column=len(columns) - 1)
    return number
