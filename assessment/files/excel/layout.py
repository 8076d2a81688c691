"""Where everything sits in the workbooks: sheet names, cells, columns and the words the importer reads back.

The report, the template and the reader all take their layout from here, so the reader never has to
import a writer. Nothing here depends on openpyxl.
"""

from __future__ import annotations

import re

from assessment.free_text import clean_text
from assessment.wording import DONT_KNOW, NOT_APPLICABLE
from questions.models import QuestionBank

FORMAT_NAME = "iom-self-assessment-workbook"
# Version 2 puts a "No." column (1.1, 1.2, …) first and the internal "Ref" ids last; the importer still reads version 1.
# Version 3 (issue 10): the template names the agency answering; a report of an assessment that agencies answer
# separately, or that an inspector moderated, has the sheets below. Its other sheets are as in version 2.
FORMAT_VERSION = 3
EXCEL_CELL_LIMIT = 32_767

# Sheet names: the importer looks for these exactly.
INSTRUCTIONS = "Instructions"
AREA_DETAILS = "Area details"
BOARD_SUMMARY = "Board summary"  # the report's first sheet: for printing only, the importer never reads it
SUMMARY = "Summary"
PRINCIPLES = "Principles"
PARTNERS = "Partners"
ACTION_PLAN = "Action plan"
RESPONSES = "Responses"
METHOD = "Method and sources"
METADATA = "Metadata"
# Issue 10: each agency's own answers, the agreed position and the inspector's moderation (report only, when any).
RESPONDENTS = "Respondents"
AGREEMENT = "Agreement"
AGENCY_ANSWERS = "Answers by agency"
INSPECTION = "Inspection"

# Both kinds of workbook put the area in B3 and the year in B4 of their first data sheet.
YEAR_CELL = "B4"
HEADER_ROW = 3
FIRST_DATA_ROW = 4

# The report prints no blank cell: an empty one says "Not known", or "Not needed" for a reason nobody has to give
# (why a statement is not applicable, when it is; why an action was dropped, when it was not), or "Not ranked" for
# an action's number when the plan does not rank it, in grey italics. The importer reads such a cell (one of these
# words, in italics) as empty; the same words typed as a note, in ordinary type, are kept as the note.
NOT_KNOWN = "Not known"
NOT_NEEDED = "Not needed"
NOT_RANKED = "Not ranked"  # the No. of an action the plan does not rank (the board's own, or a closed gap's)
EMPTY_WORDS = frozenset({NOT_KNOWN.casefold(), NOT_NEEDED.casefold(), NOT_RANKED.casefold()})
REASON_COLUMNS = frozenset({"Reason if not applicable", "Reason dropped"})


def is_placeholder(value: object, italic: bool) -> bool:
    """Whether a cell is the report's word for an empty cell (see above), not a note that says the same."""
    return italic and isinstance(value, str) and value.strip().casefold() in EMPTY_WORDS


NUMBER_COLUMN = "No."
REF_COLUMN = "Ref"  # the internal id the importer matches rows by: narrow, grey, last and left out of print
REF_WIDTH = 12

# The Responses sheet: these six, then (template only) the five level descriptions, then Ref.
RESPONSE_COLUMNS = (
    NUMBER_COLUMN, "Principle", "Statement", "Answer", "Evidence note", "Reason if not applicable"
)  # fmt: skip
# The Partners grid: Partner, one column per indicator, then (report only) coverage columns, then Ref.
PARTNER_FIXED_COLUMNS = ("Partner",)
# The Action plan: the columns that print first, then Source, Added by the board and Ref, which do not print.
ACTION_COLUMNS = (
    NUMBER_COLUMN,
    "Priority",
    "Action",
    "Principle",
    "Partner",
    "Lead",
    "Owner",
    "Due",
    "Status",
    "Notes",
    "Reason dropped",
    "Cost-neutral",
    "Practice example",
    "Source",
    "Added by the board",
    REF_COLUMN,
)
ACTION_PRINTED_COLUMNS = ACTION_COLUMNS.index("Practice example") + 1

# Format version 1 (files made before the "No." column): Ref first, and the Principles sheet's old heading.
V1_RESPONSE_COLUMNS = (REF_COLUMN, *RESPONSE_COLUMNS[1:])
V1_PARTNER_FIXED_COLUMNS = (REF_COLUMN, "Partner")
V1_ACTION_COLUMNS = (
    REF_COLUMN,
    "Priority",
    "Action",
    "Principle",
    "Partner",
    "Lead",
    "Owner",
    "Due",
    "Status",
    "Cost-neutral",
    "Practice example",
    "Source",
    "Notes",
    "Reason dropped",
    "Added by the board",
)

ANSWER_EXPECTED = f"0-4, {DONT_KNOW}, {NOT_APPLICABLE}"
# The Principles sheet of the report.
PRINCIPLE_COLUMNS = ("Principle", "Score", "Band", "Target", "Statements scored", "How the score was worked out")
V1_PRINCIPLE_COLUMNS = (*PRINCIPLE_COLUMNS[:-1], "Why it scored so")  # the heading in format version 1
# The template's Area details sheet: the targets table starts on this row.
TARGET_HEADER_ROW = 7
# ... and below the targets, who is answering (format version 3): label in column A, the answer in column B.
AGENCY_HEADING_ROW = 15
AGENCY_ROWS = {"agency": 16, "agency_name": 17, "name": 18, "role": 19}
AGENCY_LABELS = {
    "agency": "Answering for (agency)",
    "agency_name": "Name of the agency, if Other",
    "name": "Your name (optional)",
    "role": "Your role (optional)",
}
OTHER_AGENCY = "Other (name it below)"
BOARD_AGENCY = "The board, together"  # the template left as one set of answers for the whole board

RESPONDENT_COLUMNS = (
    "Agency",
    "Person",
    "Role",
    "Statements answered",
    "Partner answers given",
    "Started",
    "Last saved",
    "Signed in as",
    "Agency ref",
    REF_COLUMN,
)
# The Agreement sheet: No., Statement, one column per respondent (headed with their label), then these, then Ref.
AGREEMENT_FIXED = (NUMBER_COLUMN, "Statement")
AGREEMENT_AFTER = ("Proposed", "Flag", "Agreed", "How agreed", "Reason", "Agreed by", "Agreed on", REF_COLUMN)
ACCEPTED = "Proposal accepted"
SET_WITH_REASON = "Set with a reason"
NOT_YET_AGREED_WORDS = "Not yet agreed"
AGENCY_ANSWER_COLUMNS = (
    "Respondent",
    NUMBER_COLUMN,
    "Question",
    "Answer",
    "Evidence note",
    "Reason if not applicable",
    "Respondent ref",
    REF_COLUMN,
)
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S UTC"  # times on the issue-10 sheets, read back by the importer
PARTNER_REF_PREFIX = "partner:"  # the Ref of a partner answer on 'Answers by agency': partner:<partner>:<question>
INSPECTION_COLUMNS = (
    "Principle",
    NUMBER_COLUMN,
    "Self-assessed",
    "Inspected level",
    "Difference",
    "Reason",
    "Inspector",
    "Recorded",
    REF_COLUMN,
)


def file_name(area: str, year: int, kind: str, extension: str) -> str:
    """A download's file name with nothing a file system or a mail client could trip on."""
    stem = re.sub(r"[^A-Za-z0-9]+", " ", f"IOM self-assessment {kind} {area} {year}").strip()
    return stem.replace(" ", "-")[:120] + extension


def statement_refs(bank: QuestionBank) -> dict[str, str]:
    """Statement id -> its short reference in the bank's order, such as '1.3'."""
    return {s.id: f"{p.number}.{n}" for p in bank.principles for n, s in enumerate(p.statements, start=1)}


def safe_text(value: str) -> tuple[str, str | None]:
    """The text to store, and a warning if it had to be cut to Excel's cell limit."""
    text = clean_text(value)
    if len(text) > EXCEL_CELL_LIMIT:
        return text[:EXCEL_CELL_LIMIT], (
            f"A text of {len(text):,} characters was cut to Excel's limit of {EXCEL_CELL_LIMIT:,} characters."
        )
    return text, None


def partner_grid_columns(bank: QuestionBank) -> list[str]:
    """The columns both workbooks share: Partner, then one per indicator (strategic first). Ref comes last."""
    return [*PARTNER_FIXED_COLUMNS, *(indicator.text for indicator in ordered_indicators(bank))]


def ordered_indicators(bank: QuestionBank):
    indicators = bank.partners.indicators
    return [i for i in indicators if i.level == "strategic"] + [i for i in indicators if i.level == "operational"]
