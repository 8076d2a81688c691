"""Helpers for the Excel tests: fill the blank template as a user would, and build bad files from good ones."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from assessment.excel_format import choice_word, partner_words
from assessment.excel_report import ordered_indicators
from assessment.excel_template import TARGET_HEADER_ROW, build_template
from assessment.model import Assessment
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
    rows = {responses.cell(row, 1).value: row for row in range(4, responses.max_row + 1)}
    for statement_id, answer in assessment.answers.items():
        row = rows[statement_id]
        typed(responses.cell(row, 4), choice_word(bank, answer.choice))
        typed(responses.cell(row, 5), answer.evidence)
        typed(responses.cell(row, 6), answer.na_reason)
    partners = workbook["Partners"]
    partner_rows = {partners.cell(row, 1).value: row for row in range(4, partners.max_row + 1)}
    words = partner_words(bank)
    for column, indicator in enumerate(ordered_indicators(bank), start=3):
        for partner_id, answers in assessment.partner_answers.items():
            if indicator.id in answers:
                typed(partners.cell(partner_rows[partner_id], column), words[answers[indicator.id]])
    return save(workbook)


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
