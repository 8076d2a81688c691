"""Reads a filled-in template or a report back into an assessment, checking every cell before anything is kept.

Nothing here saves: ``read_workbook`` returns an ``ImportedAssessment`` or raises ``ImportProblems``
listing every problem at once, each with its sheet and cell and what was expected. Older question
bank versions are migrated by statement id, with a list of what changed; newer ones are refused.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from assessment.agreement import settled
from assessment.files.excel import layout as fmt
from assessment.files.excel.layout import PRINCIPLE_COLUMNS, TARGET_HEADER_ROW, V1_PRINCIPLE_COLUMNS, ordered_indicators
from assessment.files.imported import ImportedAssessment, ImportProblems, refuse_newer, version_relation
from assessment.files.safety import UploadRefused, check_xlsx
from assessment.free_text import clean_line, removed_note
from assessment.migration import can_migrate, known_statement_ids, migrate, migrate_partnership
from assessment.model import (
    ACTION_STATUS_LABELS,
    AGENCY_OTHER,
    LEVEL_CHOICES,
    MAX_NOTE,
    OWN_PREFIX,
    ActionEdit,
    Agreed,
    Assessment,
    AssessmentError,
    Moderation,
    Respondent,
    StatementAnswer,
)
from questions.models import QuestionBank

try:  # defusedxml is a runtime dependency; its errors mean the file tried an XML attack
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover - the test suite asserts defusedxml is installed
    DefusedXmlException = ValueError  # type: ignore[misc,assignment]

MAX_ROWS = 400
MAX_COLUMNS = 30
FRESH_TEMPLATE = "Download a fresh template from the Start page."

_REQUIRED_SHEETS = {
    "template": (fmt.AREA_DETAILS, fmt.RESPONSES, fmt.PARTNERS),
    "report": (fmt.SUMMARY, fmt.PRINCIPLES, fmt.PARTNERS, fmt.ACTION_PLAN, fmt.RESPONSES),
}


@dataclass(frozen=True)
class _Layout:
    """Where one format version puts its columns. ``ref_first``: the Ref ids are column A, not found by heading."""

    responses: tuple[str, ...]
    partner_fixed: tuple[str, ...]
    actions: tuple[str, ...]
    principles: tuple[str, ...]
    ref_first: bool


_LAYOUTS = {
    1: _Layout(
        responses=fmt.V1_RESPONSE_COLUMNS,
        partner_fixed=fmt.V1_PARTNER_FIXED_COLUMNS,
        actions=fmt.V1_ACTION_COLUMNS,
        principles=V1_PRINCIPLE_COLUMNS,
        ref_first=True,
    ),
    2: _Layout(
        responses=fmt.RESPONSE_COLUMNS,
        partner_fixed=fmt.PARTNER_FIXED_COLUMNS,
        actions=fmt.ACTION_COLUMNS,
        principles=PRINCIPLE_COLUMNS,
        ref_first=False,
    ),
}
_LAYOUTS[3] = _LAYOUTS[2]  # version 3 adds the issue-10 parts (read below when present); the rest is as version 2
assert max(_LAYOUTS) == fmt.FORMAT_VERSION


# ---- reading cells ---------------------------------------------------------------------------------
@dataclass
class _Sheet:
    """The cells of one sheet, read once within fixed bounds, with sheet!cell names for messages."""

    title: str
    values: dict[tuple[int, int], tuple[Any, str]]
    problems: list[str]
    warnings: list[str]

    def ref(self, row: int, column: int) -> str:
        return f"{self.title}!{get_column_letter(column)}{row}"

    def raw(self, row: int, column: int) -> Any:
        value, data_type = self.values.get((row, column), (None, "n"))
        if data_type == "f":
            self.problems.append(
                f"{self.ref(row, column)}: this cell holds a formula ({str(value)[:40]}); type the value itself instead."
            )
            return None
        return value

    def text(self, row: int, column: int, *, limit: int | None = None, label: str = "text") -> str:
        value = self.raw(row, column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = fmt.safe_text(str(value))[0].strip()
        if limit is not None and len(text) > limit:
            self.warnings.append(
                f"{self.ref(row, column)}: the {label} is {len(text):,} characters long; "
                f"only the first {limit:,} were kept."
            )
            text = text[:limit]
        return text

    def last_row(self) -> int:
        return max((row for row, _ in self.values), default=0)


def _read_sheet(workbook, title: str, problems: list[str], warnings: list[str]) -> _Sheet:
    values: dict[tuple[int, int], tuple[Any, str]] = {}
    sheet = workbook[title]
    for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLUMNS):
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            if fmt.is_placeholder(cell.value, italic=bool(cell.font and cell.font.i)):
                continue  # the report's word for an empty cell
            values[(cell.row, cell.column)] = (cell.value, cell.data_type)
    return _Sheet(title, values, problems, warnings)


def _same_words(found: Any, expected: str) -> bool:
    return " ".join(str(found or "").split()).casefold() == " ".join(expected.split()).casefold()


def _check_headings(sheet: _Sheet, expected: list[str] | tuple[str, ...], *, row: int = fmt.HEADER_ROW) -> bool:
    ok = True
    for column, name in enumerate(expected, start=1):
        found = sheet.values.get((row, column), (None, "n"))[0]
        if not _same_words(found, name):
            shown = "an empty cell" if found in (None, "") else repr(str(found)[:60])
            sheet.problems.append(
                f"{sheet.ref(row, column)}: expected the column heading {name!r} here, found {shown}. "
                f"Do not move, insert or delete columns. {FRESH_TEMPLATE}"
            )
            ok = False
    return ok


# ---- answer words ----------------------------------------------------------------------------------
def _normal(value: str) -> str:
    return " ".join(value.replace("’", "'").replace("‘", "'").split()).casefold()


def parse_choice(bank: QuestionBank, value: Any) -> str | bool | None:
    """A statement answer as a choice id, None for blank, or False when the value is not an answer."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() and 0 <= value <= 4 else False
    text = _normal(str(value))
    if text in {"don't know", "dont know", "do not know", "unknown"}:
        return "dont_know"
    if text in {"not applicable", "n/a", "na"}:
        return "not_applicable"
    labels = {_normal(level.label): str(level.number) for level in bank.levels}
    if text in labels:
        return labels[text]
    match = re.fullmatch(r"([0-4])(?:\.0)?(?:\s*[-:–]?\s*(.*))?", text)
    if match and (not match[2] or labels.get(match[2]) == match[1]):
        return match[1]
    return False


def _parse_level(bank: QuestionBank, value: Any) -> int | bool | None:
    choice = parse_choice(bank, value)
    if choice in LEVEL_CHOICES:
        return int(choice)
    return None if choice is None else False


def _parse_partner_word(bank: QuestionBank, value: Any) -> str | bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = _normal(str(value))
    for option in bank.partners.answers:
        if text in {_normal(option.label), option.id.replace("_", " ")}:
            return option.id
    return "dont_know" if text in {"dont know", "do not know"} else False


def _parse_year(sheet: _Sheet, row: int, column: int) -> int | None:
    value = sheet.raw(row, column)
    if value is None or (isinstance(value, str) and not value.strip()):
        sheet.problems.append(f"{sheet.ref(row, column)}: the year is missing; enter four digits, for example 2026.")
        return None
    year: int | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        year = int(value.strip())
    if year is None or not 2000 <= year <= 2100:
        sheet.problems.append(
            f"{sheet.ref(row, column)}: {str(value)[:40]!r} is not a year from 2000 to 2100; "
            "enter four digits, for example 2026."
        )
        return None
    return year


def _parse_date(sheet: _Sheet, row: int, column: int) -> date | None:
    value = sheet.raw(row, column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    sheet.problems.append(
        f"{sheet.ref(row, column)}: {text[:40]!r} is not a date; enter a date, for example 31/03/2027."
    )
    return None


# ---- the workbook ----------------------------------------------------------------------------------
def read_workbook(bank: QuestionBank, data: bytes, *, filename: str | None = None) -> ImportedAssessment:
    """Check and read an uploaded workbook; raises ``UploadRefused`` or ``ImportProblems``, never saves."""
    check_xlsx(data, filename)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # any parser failure is a damaged or unsafe file to the user, never a traceback
        raise (_unsafe_xml() if _unsafe_cause(error) else _unreadable()) from None
    try:
        return _read(bank, workbook)
    except AssessmentError:
        raise
    except Exception as error:  # a damaged part found while reading (a missing shared string, say): never a traceback
        raise (_unsafe_xml() if _unsafe_cause(error) else _unreadable()) from None
    finally:
        workbook.close()


def _unsafe_cause(error: BaseException | None) -> bool:
    """Whether defusedxml stopped the parse somewhere in the chain of causes (openpyxl wraps its errors)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _unsafe_xml() -> UploadRefused:
    return UploadRefused(
        "The file contains XML the app does not accept (entity or document type declarations, used in attacks), "
        "so it was refused as unsafe. Fill in a fresh template from the Start page."
    )


def _unreadable() -> UploadRefused:
    return UploadRefused(
        "The file could not be read as an Excel workbook: it may be damaged. "
        "Open it in Excel, save it as an Excel Workbook (.xlsx) and upload it again."
    )


def _metadata(workbook) -> tuple[dict[str, str], _Layout]:
    if fmt.METADATA not in workbook.sheetnames:
        raise UploadRefused(
            "This workbook was not made by the IOM self-assessment app (it has no hidden Metadata sheet), so the app "
            f"cannot tell which questions it answers. {FRESH_TEMPLATE}"
        )
    found: dict[str, str] = {}
    for row in workbook[fmt.METADATA].iter_rows(min_row=1, max_row=40, max_col=2, values_only=True):
        if row and row[0] is not None:
            found[str(row[0]).strip()] = "" if len(row) < 2 or row[1] is None else str(row[1]).strip()
    if found.get("format") != fmt.FORMAT_NAME or found.get("kind") not in _REQUIRED_SHEETS:
        raise UploadRefused(
            f"The Metadata sheet of this workbook has been changed, so it cannot be read. {FRESH_TEMPLATE}"
        )
    try:
        version = int(found.get("format_version", ""))
    except ValueError:
        raise UploadRefused(f"The Metadata sheet of this workbook has been changed. {FRESH_TEMPLATE}") from None
    if version > fmt.FORMAT_VERSION:
        raise UploadRefused(
            f"This workbook uses format version {version}, newer than this app reads ({fmt.FORMAT_VERSION}). "
            "Update the app, or fill in a fresh template from the Start page."
        )
    if version not in _LAYOUTS:
        raise UploadRefused(f"The Metadata sheet of this workbook has been changed. {FRESH_TEMPLATE}")
    return found, _LAYOUTS[version]


def _read(bank: QuestionBank, workbook) -> ImportedAssessment:
    meta, layout = _metadata(workbook)
    kind = meta["kind"]
    file_version = meta.get("bank_version", "")
    relation = version_relation(file_version, bank.version)
    if relation == "newer":
        refuse_newer(file_version, bank, "workbook")
    missing = [name for name in _REQUIRED_SHEETS[kind] if name not in workbook.sheetnames]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        present = ", ".join(repr(name) for name in workbook.sheetnames if name != fmt.METADATA)
        raise ImportProblems(
            [
                f"The workbook has no sheet called {names} (it has {present}). "
                f"Do not rename or delete sheets. {FRESH_TEMPLATE}"
            ]
        )
    problems: list[str] = []
    warnings: list[str] = []
    changes: list[str] = []
    mapped = relation == "older" and can_migrate(file_version, bank)
    if relation == "older" and not mapped:
        changes.append(
            f"The workbook was made for question bank version {file_version}; it was brought up to version "
            f"{bank.version}, matching statements by their reference."
        )
    reading = _Reading(bank, relation, layout, problems, warnings, changes)
    if mapped:  # the mapping kept for that version says where each statement went and why
        reading.old_ids = known_statement_ids(file_version)
    sheets = {name: _read_sheet(workbook, name, problems, warnings) for name in _REQUIRED_SHEETS[kind]}
    details = sheets[fmt.AREA_DETAILS if kind == "template" else fmt.SUMMARY]
    area = reading.area(details)
    year = _parse_year(details, 4, 2) if _check_label(details, 4, "Year") else None
    targets = (
        reading.targets_from_template(details)
        if kind == "template"
        else reading.targets_from_report(sheets[fmt.PRINCIPLES])
    )
    answers = reading.responses(sheets[fmt.RESPONSES])
    partner_answers = reading.partners(sheets[fmt.PARTNERS])
    plan = reading.plan(sheets[fmt.ACTION_PLAN]) if kind == "report" else {}
    # Issue 10: who answered (a template names its agency), and a report's respondents, agreement and moderation.
    extra: dict[str, Any] = {}
    if kind == "template":
        extra = reading.agency(details, answers, partner_answers)
    else:
        extra = reading.partnership(workbook, problems, warnings)
    if problems:
        raise ImportProblems(problems)
    if mapped:
        migrated = migrate(bank, file_version, answers, plan, partner_ids=set(partner_answers))
        answers, plan = migrated.answers, migrated.plan
        # Each agency's own answers, the agreed answers and the inspector's statements follow their statements.
        partnership = migrate_partnership(
            bank,
            file_version,
            extra.get("respondents", []),
            extra.get("agreed", {}),
            extra.get("moderation", []),
        )
        extra = {
            name: value
            for name, value in {
                "respondents": partnership.respondents,
                "agreed": partnership.agreed,
                "moderation": partnership.moderation,
            }.items()
            if name in extra
        }
        changes[:0] = [*migrated.changes, *partnership.changes]
    try:
        assessment = Assessment(
            area=area,
            year=year,
            bank_version=bank.version,
            answers=answers,
            partner_answers=partner_answers,
            targets=targets,
            plan=plan,
            **extra,
        )
    except ValidationError as error:
        raise ImportProblems([f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]) from None
    return ImportedAssessment(settled(assessment, bank), kind, tuple(warnings), tuple(changes), file_version)


def _check_label(sheet: _Sheet, row: int, label: str) -> bool:
    found = sheet.values.get((row, 1), (None, "n"))[0]
    if _same_words(found, label):
        return True
    sheet.problems.append(
        f"{sheet.ref(row, 1)}: expected the label {label!r} here, found {str(found)[:40]!r}. "
        f"Do not move or insert rows. {FRESH_TEMPLATE}"
    )
    return False


@dataclass
class _Reading:
    """The state of one import: the bank, whether the file is being migrated, and what was found."""

    bank: QuestionBank
    relation: str
    layout: _Layout
    problems: list[str]
    warnings: list[str]
    changes: list[str]
    refs: dict[str, str] = field(default_factory=dict)
    # The statement ids of the older bank a mapped workbook was made on (empty when there is no mapping).
    old_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.refs = fmt.statement_refs(self.bank)

    @property
    def migrating(self) -> bool:
        return self.relation == "older"

    def area(self, sheet: _Sheet) -> str:
        if not _check_label(sheet, 3, "Area"):
            return ""
        area = clean_line(sheet.text(3, 2))
        if note := removed_note(str(sheet.values.get((3, 2), ("", "s"))[0] or ""), what="The name of the area"):
            self.warnings.append(f"{sheet.ref(3, 2)}: {note}")
        if not area:
            self.problems.append(
                f"{sheet.ref(3, 2)}: the name of the area is missing; enter it, for example 'Northshire'."
            )
        elif len(area) > 120:
            self.problems.append(f"{sheet.ref(3, 2)}: the name of the area is {len(area)} characters; use at most 120.")
        return area

    def targets_from_template(self, sheet: _Sheet) -> dict[int, int]:
        if not _check_headings(sheet, ["Principle", "Target level"], row=TARGET_HEADER_ROW):
            return {}
        return self._targets(sheet, first_row=TARGET_HEADER_ROW + 1, column=2)

    def targets_from_report(self, sheet: _Sheet) -> dict[int, int]:
        if not _check_headings(sheet, self.layout.principles):
            return {}
        return self._targets(sheet, first_row=fmt.FIRST_DATA_ROW, column=4)

    def _targets(self, sheet: _Sheet, *, first_row: int, column: int) -> dict[int, int]:
        targets: dict[int, int] = {}
        for principle in self.bank.principles:
            row = first_row + principle.number - 1
            label = sheet.text(row, 1)
            if not label.startswith(f"{principle.number}."):
                self.problems.append(
                    f"{sheet.ref(row, 1)}: expected principle {principle.number} here, found {label[:40]!r}. "
                    f"Do not move or insert rows. {FRESH_TEMPLATE}"
                )
                continue
            value = sheet.raw(row, column)
            level = _parse_level(self.bank, value)
            if level is False:
                self.problems.append(
                    f"{sheet.ref(row, column)}: {str(value)[:40]!r} is not a target level; choose one of 0-4."
                )
            elif level is not None:
                targets[principle.number] = level
        return targets

    def _ref_column(self, sheet: _Sheet, after: int, what: str) -> int | None:
        """The column of the internal ids: column A in version 1, else the one headed Ref after the others."""
        if self.layout.ref_first:
            return 1
        for column in range(after + 1, MAX_COLUMNS + 1):
            if _same_words(sheet.values.get((fmt.HEADER_ROW, column), (None, "n"))[0], fmt.REF_COLUMN):
                return column
        self.problems.append(
            f"{sheet.ref(fmt.HEADER_ROW, after + 1)}: the column headed {fmt.REF_COLUMN!r}, which tells the app "
            f"which {what} each row is, is missing. Do not move, insert or delete columns. {FRESH_TEMPLATE}"
        )
        return None

    def responses(self, sheet: _Sheet) -> dict[str, StatementAnswer]:
        if not _check_headings(sheet, self.layout.responses):
            return {}
        ref_column = self._ref_column(sheet, len(self.layout.responses), "statement")
        if ref_column is None:
            return {}
        answers: dict[str, StatementAnswer] = {}
        seen: dict[str, int] = {}
        for row in range(fmt.FIRST_DATA_ROW, sheet.last_row() + 1):
            ref = sheet.text(row, ref_column)
            if not ref:
                if any(sheet.text(row, column) for column in (4, 5, 6)):
                    self.problems.append(
                        f"{sheet.ref(row, ref_column)}: this row has answers but no statement reference. "
                        f"Do not insert rows or clear the Ref column. {FRESH_TEMPLATE}"
                    )
                continue
            if ref in seen:
                self.problems.append(
                    f"{sheet.ref(row, ref_column)}: statement {ref!r} appears twice (first on row {seen[ref]}); "
                    "keep one row."
                )
                continue
            seen[ref] = row
            mapped = ref in self.old_ids
            if not self.bank.has_statement(ref) and not mapped:
                if self.migrating:
                    self.changes.append(
                        f"Statement {ref!r} is no longer in the question bank; its answer was left out."
                    )
                else:
                    self.problems.append(
                        f"{sheet.ref(row, ref_column)}: {ref[:60]!r} is not a statement of question bank "
                        f"{self.bank.version}. "
                        f"Do not change the Ref column. {FRESH_TEMPLATE}"
                    )
                continue
            value = sheet.raw(row, 4)
            choice = parse_choice(self.bank, value)
            if choice is False:
                self.problems.append(f"{sheet.ref(row, 4)}: {str(value)[:60]!r} is not one of {fmt.ANSWER_EXPECTED}.")
                continue
            evidence = sheet.text(row, 5, limit=MAX_NOTE, label="evidence note")
            na_reason = sheet.text(row, 6, limit=MAX_NOTE, label="reason")
            answer = StatementAnswer(choice=choice, evidence=evidence, na_reason=na_reason)
            if self.migrating and not mapped and not _same_words(sheet.text(row, 3), self.bank.statement(ref).text):
                self.changes.append(
                    f"Statement {self.refs[ref]} was reworded since the workbook was made; "
                    "the answer was kept: check it still holds."
                )
            if not answer.is_empty:
                answers[ref] = answer
        for principle, statement in self.bank.statements():
            if statement.id not in seen and not self.old_ids:  # a mapped migration names new statements itself
                if self.migrating:
                    self.changes.append(
                        f"Statement {self.refs[statement.id]} is new in question bank {self.bank.version}: "
                        f"'{statement.text}' It has no answer yet."
                    )
                else:
                    self.problems.append(
                        f"{sheet.title}: statement {self.refs[statement.id]} ({statement.id}, principle "
                        f"{principle.number}) is missing. Do not delete rows. {FRESH_TEMPLATE}"
                    )
        return answers

    def partners(self, sheet: _Sheet) -> dict[str, dict[str, str]]:
        fixed = self.layout.partner_fixed
        if not _check_headings(sheet, fixed):
            return {}
        indicators = ordered_indicators(self.bank)
        columns: dict[int, str] = {}
        for offset, indicator in enumerate(indicators):
            column = len(fixed) + 1 + offset
            found = sheet.values.get((fmt.HEADER_ROW, column), (None, "n"))[0]
            if _same_words(found, indicator.text):
                columns[column] = indicator.id
            elif self.migrating:
                self.changes.append(f"Partner question '{indicator.text}' is new or reworded; it has no answers yet.")
            else:
                shown = "an empty cell" if found in (None, "") else repr(str(found)[:60])
                self.problems.append(
                    f"{sheet.ref(fmt.HEADER_ROW, column)}: expected the column heading {indicator.text!r} here, "
                    f"found {shown}. Do not move, insert or delete columns. {FRESH_TEMPLATE}"
                )
        if not columns or (len(columns) < len(indicators) and not self.migrating):
            return {}
        ref_column = self._ref_column(sheet, len(fixed) + len(indicators), "partner")
        if ref_column is None:
            return {}
        known = {partner.id for partner in self.bank.partners.partners}
        answers: dict[str, dict[str, str]] = {}
        seen: dict[str, int] = {}
        options = ", ".join(option.label for option in self.bank.partners.answers)
        for row in range(fmt.FIRST_DATA_ROW, sheet.last_row() + 1):
            ref = sheet.text(row, ref_column)
            if not ref:
                break  # the grid ends at its first empty row; notes may follow
            if ref in seen:
                self.problems.append(
                    f"{sheet.ref(row, ref_column)}: partner {ref!r} appears twice (first on row {seen[ref]}); "
                    "keep one row."
                )
                continue
            seen[ref] = row
            if ref not in known:
                if self.migrating:
                    self.changes.append(
                        f"Partner {ref!r} is no longer in the question bank; its answers were left out."
                    )
                else:
                    self.problems.append(
                        f"{sheet.ref(row, ref_column)}: {ref[:60]!r} is not a partner of question bank "
                        f"{self.bank.version}. "
                        f"Do not change the Ref column. {FRESH_TEMPLATE}"
                    )
                continue
            row_answers: dict[str, str] = {}
            for column, indicator_id in columns.items():
                value = sheet.raw(row, column)
                word = _parse_partner_word(self.bank, value)
                if word is False:
                    self.problems.append(f"{sheet.ref(row, column)}: {str(value)[:60]!r} is not one of {options}.")
                elif word is not None:
                    row_answers[indicator_id] = word
            if row_answers:
                answers[ref] = row_answers
        for partner in self.bank.partners.partners:
            if partner.id not in seen and not self.old_ids:  # a mapped migration names new partners itself
                if self.migrating:
                    self.changes.append(f"Partner {partner.name} is new in the question bank; it has no answers yet.")
                else:
                    self.problems.append(
                        f"{sheet.title}: partner {partner.name} ({partner.id}) is missing. "
                        f"Do not delete rows. {FRESH_TEMPLATE}"
                    )
        return answers

    # ---- issue 10: the agency a template answers for; a report's respondents, agreement and moderation ----------
    def agency(self, sheet: _Sheet, answers: dict, partner_answers: dict) -> dict[str, Any]:
        """A template filled in by one agency: its answers become that agency's own (a respondent)."""
        rows = fmt.AGENCY_ROWS
        if not _same_words(sheet.values.get((rows["agency"], 1), (None, "n"))[0], fmt.AGENCY_LABELS["agency"]):
            return {}  # a template made before the agency field: the board's answers, as before
        chosen = sheet.text(rows["agency"], 2)
        if not chosen or _same_words(chosen, fmt.BOARD_AGENCY):
            return {}
        names = {_normal(p.name): p.id for p in self.bank.partners.partners}
        other = clean_line(sheet.text(rows["agency_name"], 2, limit=200, label="agency's name"))
        if _same_words(chosen, fmt.OTHER_AGENCY) or _normal(chosen) in {"other", "another agency"}:
            agency = AGENCY_OTHER
            if not other:
                self.problems.append(
                    f"{sheet.ref(rows['agency_name'], 2)}: the name of the agency is missing; you chose "
                    f"{fmt.OTHER_AGENCY!r} in {sheet.ref(rows['agency'], 2)}, so enter its name here."
                )
                return {}
        elif _normal(chosen) in names:
            agency, other = names[_normal(chosen)], ""
        else:
            self.problems.append(
                f"{sheet.ref(rows['agency'], 2)}: {chosen[:60]!r} is not an agency in the list; choose one of the "
                f"partners, {fmt.OTHER_AGENCY!r} (and name it below), or {fmt.BOARD_AGENCY!r}."
            )
            return {}
        respondent = Respondent(
            agency=agency,
            agency_name=other,
            name=clean_line(sheet.text(rows["name"], 2, limit=200, label="name")),
            role=clean_line(sheet.text(rows["role"], 2, limit=200, label="role")),
            answers=answers,
            partner_answers=partner_answers,
        )
        return {"respondents": [respondent]}

    def known(self, statement_id: str) -> bool:
        """A statement of the bank in use, or of the older bank the workbook was made on (moved on afterwards)."""
        return self.bank.has_statement(statement_id) or statement_id in self.old_ids

    def partnership(self, workbook, problems: list[str], warnings: list[str]) -> dict[str, Any]:
        """A report's Respondents, Agreement, Answers by agency and Inspection sheets, where it has them."""
        extra: dict[str, Any] = {}
        names = workbook.sheetnames
        if fmt.RESPONDENTS in names:
            for needed in (fmt.AGREEMENT, fmt.AGENCY_ANSWERS):
                if needed not in names:
                    problems.append(
                        f"The workbook has a {fmt.RESPONDENTS!r} sheet but no {needed!r} sheet. Do not delete sheets."
                    )
                    return {}
            people = self._respondents(_read_sheet(workbook, fmt.RESPONDENTS, problems, warnings))
            self._agency_answers(_read_sheet(workbook, fmt.AGENCY_ANSWERS, problems, warnings), people)
            extra["respondents"] = list(people.values())
            extra["agreed"] = self._agreement(_read_sheet(workbook, fmt.AGREEMENT, problems, warnings))
        if fmt.INSPECTION in names:
            extra["moderation"] = self._inspection(_read_sheet(workbook, fmt.INSPECTION, problems, warnings))
        return extra

    def _stamp(self, sheet: _Sheet, row: int, column: int) -> datetime | None:
        value = sheet.raw(row, column)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        text = sheet.text(row, column)
        if not text:
            return None
        try:
            return datetime.strptime(text, fmt.STAMP_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            self.problems.append(
                f"{sheet.ref(row, column)}: {text[:40]!r} is not a time; write it as 2026-11-26 09:30:05 UTC."
            )
            return None

    def _rows(self, sheet: _Sheet, columns: tuple[str, ...] | list[str]):
        """Each data row up to the first without a Ref, as (row, {heading: column})."""
        if not _check_headings(sheet, columns):
            return
        at = {name: number for number, name in enumerate(columns, start=1)}
        for row in range(fmt.FIRST_DATA_ROW, sheet.last_row() + 1):
            if not sheet.text(row, at[columns[-1]]):
                break
            yield row, at

    def _respondents(self, sheet: _Sheet) -> dict[str, Respondent]:
        people: dict[str, Respondent] = {}
        partners = {p.id for p in self.bank.partners.partners}
        for row, at in self._rows(sheet, fmt.RESPONDENT_COLUMNS):
            rid, agency = sheet.text(row, at[fmt.REF_COLUMN]), sheet.text(row, at["Agency ref"])
            if rid in people:
                self.problems.append(f"{sheet.ref(row, at[fmt.REF_COLUMN])}: respondent {rid!r} appears twice.")
                continue
            if agency != AGENCY_OTHER and agency not in partners:
                self.problems.append(
                    f"{sheet.ref(row, at['Agency ref'])}: {agency[:40]!r} is not a partner of question bank "
                    f"{self.bank.version} (or 'other'). Do not change the ref columns."
                )
                continue
            fields = {
                "id": rid,
                "agency": agency,
                "agency_name": sheet.text(row, at["Agency"]) if agency == AGENCY_OTHER else "",
                "name": sheet.text(row, at["Person"], limit=200, label="name"),
                "role": sheet.text(row, at["Role"], limit=200, label="role"),
                "user": sheet.text(row, at["Signed in as"], limit=320, label="email"),
            }
            for name, column in (("created_at", "Started"), ("updated_at", "Last saved")):
                if (value := self._stamp(sheet, row, at[column])) is not None:
                    fields[name] = value
            try:
                people[rid] = Respondent(**fields)
            except ValidationError as error:
                for e in error.errors():
                    self.problems.append(f"{sheet.ref(row, 1)}: {e['msg']}")
        return people

    def _agency_answers(self, sheet: _Sheet, people: dict[str, Respondent]) -> None:
        partners = {p.id for p in self.bank.partners.partners}
        indicators = {i.id for i in self.bank.partners.indicators}
        for row, at in self._rows(sheet, fmt.AGENCY_ANSWER_COLUMNS):
            rid, ref = sheet.text(row, at["Respondent ref"]), sheet.text(row, at[fmt.REF_COLUMN])
            person = people.get(rid)
            if person is None:
                self.problems.append(
                    f"{sheet.ref(row, at['Respondent ref'])}: {rid[:40]!r} is not a respondent on the "
                    f"{fmt.RESPONDENTS!r} sheet."
                )
                continue
            value = sheet.raw(row, at["Answer"])
            if ref.startswith(fmt.PARTNER_REF_PREFIX):
                partner_id, _, indicator_id = ref.removeprefix(fmt.PARTNER_REF_PREFIX).partition(":")
                word = _parse_partner_word(self.bank, value)
                if partner_id not in partners or indicator_id not in indicators:
                    self.problems.append(
                        f"{sheet.ref(row, at[fmt.REF_COLUMN])}: {ref[:60]!r} is not a partner question."
                    )
                elif word is False or word is None:
                    self.problems.append(
                        f"{sheet.ref(row, at['Answer'])}: {str(value)[:40]!r} is not Yes, Partly, No or Don't know."
                    )
                else:
                    person.partner_answers.setdefault(partner_id, {})[indicator_id] = word
                continue
            if not self.known(ref):
                self.problems.append(
                    f"{sheet.ref(row, at[fmt.REF_COLUMN])}: {ref[:60]!r} is not a statement of question bank "
                    f"{self.bank.version}."
                )
                continue
            choice = parse_choice(self.bank, value)
            if choice is False:
                self.problems.append(
                    f"{sheet.ref(row, at['Answer'])}: {str(value)[:40]!r} is not one of {fmt.ANSWER_EXPECTED}."
                )
                continue
            person.answers[ref] = StatementAnswer(
                choice=choice,
                evidence=sheet.text(row, at["Evidence note"], limit=MAX_NOTE, label="evidence note"),
                na_reason=sheet.text(row, at["Reason if not applicable"], limit=MAX_NOTE, label="reason"),
            )

    def _agreement(self, sheet: _Sheet) -> dict[str, Agreed]:
        agreed: dict[str, Agreed] = {}
        headings = [sheet.text(fmt.HEADER_ROW, column) for column in range(1, MAX_COLUMNS + 1)]
        try:
            start = headings.index(fmt.AGREEMENT_AFTER[0]) + 1
        except ValueError:
            self.problems.append(
                f"{sheet.title}: the column headed {fmt.AGREEMENT_AFTER[0]!r} is missing. Do not change the headings."
            )
            return {}
        columns = [*headings[: start - 1], *fmt.AGREEMENT_AFTER]
        for row, at in self._rows(sheet, columns):
            ref = sheet.text(row, at[fmt.REF_COLUMN])
            words = sheet.text(row, at["Agreed"])
            if not words or _same_words(words, fmt.NOT_YET_AGREED_WORDS):
                continue
            choice = parse_choice(self.bank, words)
            if choice in (False, None) or not self.known(ref):
                self.problems.append(
                    f"{sheet.ref(row, at['Agreed'])}: {words[:40]!r} is not one of {fmt.ANSWER_EXPECTED}, or the "
                    "row's Ref is not a statement."
                )
                continue
            reason = sheet.text(row, at["Reason"], limit=MAX_NOTE, label="reason")
            accepted = _same_words(sheet.text(row, at["How agreed"]), fmt.ACCEPTED)
            proposed = choice if accepted else parse_choice(self.bank, sheet.raw(row, at["Proposed"])) or None
            try:
                agreed[ref] = Agreed(
                    choice=choice,
                    reason=reason,
                    proposed=proposed,
                    by=sheet.text(row, at["Agreed by"], limit=320, label="name"),
                    at=self._stamp(sheet, row, at["Agreed on"]) or datetime.now(UTC),
                )
            except ValidationError:
                self.problems.append(
                    f"{sheet.ref(row, at['Reason'])}: the agreed answer differs from the proposal, so it needs "
                    "its reason here."
                )
        return agreed

    def _inspection(self, sheet: _Sheet) -> list[Moderation]:
        found = []
        if not _check_headings(sheet, fmt.INSPECTION_COLUMNS):
            return []
        at = {name: number for number, name in enumerate(fmt.INSPECTION_COLUMNS, start=1)}
        for row in range(fmt.FIRST_DATA_ROW, sheet.last_row() + 1):
            principle_text = sheet.text(row, at["Principle"])
            if not principle_text:
                break
            number = principle_text.split(".")[0]
            if not number.isdigit() or not 1 <= int(number) <= len(self.bank.principles):
                self.problems.append(f"{sheet.ref(row, at['Principle'])}: {principle_text[:40]!r} is not a principle.")
                continue
            statement_id = sheet.text(row, at[fmt.REF_COLUMN]) or None
            if (
                statement_id
                and statement_id not in self.old_ids
                and (
                    not self.bank.has_statement(statement_id)
                    or self.bank.principle_of(statement_id).number != int(number)
                )
            ):
                self.problems.append(
                    f"{sheet.ref(row, at[fmt.REF_COLUMN])}: {statement_id[:60]!r} is not a statement of principle "
                    f"{number}."
                )
                continue
            level = _parse_level(self.bank, sheet.raw(row, at["Inspected level"]))
            reason = sheet.text(row, at["Reason"], limit=MAX_NOTE, label="reason")
            if level is None or level is False or not reason:
                self.problems.append(
                    f"{sheet.ref(row, at['Inspected level'])}: an inspected level needs a level from 0 to 4 and, in "
                    f"{sheet.ref(row, at['Reason'])}, its reason."
                )
                continue
            found.append(
                Moderation(
                    principle=int(number),
                    statement_id=statement_id,
                    level=level,
                    reason=reason,
                    by=sheet.text(row, at["Inspector"], limit=320, label="name"),
                    at=self._stamp(sheet, row, at["Recorded"]) or datetime.now(UTC),
                )
            )
        return found

    def plan(self, sheet: _Sheet) -> dict[str, ActionEdit]:
        if not _check_headings(sheet, self.layout.actions):
            return {}
        column = {name: number for number, name in enumerate(self.layout.actions, start=1)}
        ref, what, principle_at, partner_at = (
            column[fmt.REF_COLUMN],
            column["Action"],
            column["Principle"],
            column["Partner"],
        )
        status_at, own_at = column["Status"], column["Added by the board"]
        statuses = {_normal(label): status for status, label in ACTION_STATUS_LABELS.items()}
        partners = {_normal(p.name): p.id for p in self.bank.partners.partners} | {
            p.id: p.id for p in self.bank.partners.partners
        }
        plan: dict[str, ActionEdit] = {}
        seen: dict[str, int] = {}
        for row in range(fmt.FIRST_DATA_ROW, sheet.last_row() + 1):
            action_id = sheet.text(row, ref)
            if not action_id:
                break  # the table ends at its first empty row
            if action_id in seen:
                self.problems.append(
                    f"{sheet.ref(row, ref)}: action {action_id[:60]!r} appears twice (first on row {seen[action_id]})."
                )
                continue
            seen[action_id] = row
            if len(action_id) > 120:
                self.problems.append(f"{sheet.ref(row, ref)}: the action reference is too long; do not change it.")
                continue
            count = len(self.problems)
            status_text = sheet.text(row, status_at)
            status = statuses.get(_normal(status_text)) if status_text else "not_started"
            if status is None:
                self.problems.append(
                    f"{sheet.ref(row, status_at)}: {status_text[:40]!r} is not one of "
                    f"{', '.join(ACTION_STATUS_LABELS.values())}."
                )
            own_text = _normal(sheet.text(row, own_at))
            own = own_text == "yes"
            if own_text not in {"yes", "no", ""}:
                self.problems.append(f"{sheet.ref(row, own_at)}: {own_text[:20]!r} is not Yes or No.")
            elif own != action_id.startswith(OWN_PREFIX):
                # The Ref column says who wrote the action; this cell only shows it, so a change here cannot stand.
                self.problems.append(
                    f"{sheet.ref(row, own_at)}: this action was "
                    + ("suggested by the plan" if not own else "added by the board")
                    + f", so 'Added by the board' must say {'No' if own else 'Yes'}. Change it back to "
                    + f"{'No' if own else 'Yes'}; to add an action of the board's own, add it on the Action plan page."
                )
            fields: dict[str, Any] = {
                "action_id": action_id,
                "owner": sheet.text(row, column["Owner"], limit=200, label="owner"),
                "due": _parse_date(sheet, row, column["Due"]),
                "status": status or "not_started",
                "notes": sheet.text(row, column["Notes"], limit=MAX_NOTE, label="note"),
                "dropped_reason": sheet.text(row, column["Reason dropped"], limit=MAX_NOTE, label="reason"),
                "own": own,
            }
            if own:
                fields["what"] = sheet.text(row, what, limit=MAX_NOTE, label="action")
                fields["lead"] = sheet.text(row, column["Lead"], limit=200, label="lead")
                if not fields["what"]:
                    self.problems.append(f"{sheet.ref(row, what)}: an action the board added needs a description.")
                principle = sheet.text(row, principle_at)
                if principle:
                    if principle in {"1", "2", "3", "4", "5", "6"}:
                        fields["principle"] = int(principle)
                    else:
                        self.problems.append(
                            f"{sheet.ref(row, principle_at)}: {principle[:40]!r} is not a principle from 1 to 6."
                        )
                partner = sheet.text(row, partner_at)
                if partner:
                    if _normal(partner) in partners:
                        fields["partner_id"] = partners[_normal(partner)]
                    else:
                        self.problems.append(
                            f"{sheet.ref(row, partner_at)}: {partner[:40]!r} is not one of the partners."
                        )
            if len(self.problems) > count:
                continue
            try:
                edit = ActionEdit.model_validate(fields)
            except ValidationError as error:  # every value is checked above; this names the row if one slips by
                reasons = "; ".join(e["msg"] for e in error.errors())
                self.problems.append(f"{sheet.ref(row, ref)}: this action's row cannot be read ({reasons}).")
                continue
            if own or edit != ActionEdit(action_id=action_id):
                plan[action_id] = edit
        return plan
