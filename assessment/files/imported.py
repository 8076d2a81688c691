"""What every file reader returns: an assessment read and checked, or the list of problems that stopped it.

The Excel and JSON readers share these, and the question bank version check, so neither reader imports the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessment.files.safety import UploadRefused
from assessment.model import Assessment, AssessmentError
from questions.models import QuestionBank

MAX_PROBLEMS_SHOWN = 60
_VERSION = re.compile(r"^(\d+)\.(\d+)(\+local)?$")


class ImportProblems(AssessmentError):
    """The file was read, but some of its cells cannot be accepted; nothing was saved."""

    def __init__(self, problems: list[str], *, what: str = "workbook") -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        lines = [f"- {p}" for p in shown] + ([f"- … and {more} more"] if more else [])
        count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
        super().__init__(f"Nothing was imported: the {what} has {count} to fix.\n" + "\n".join(lines))


@dataclass(frozen=True)
class ImportedAssessment:
    """A file read and checked, ready to save: the assessment, what kind of file it was, and notes for the user."""

    assessment: Assessment
    kind: str
    warnings: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    file_version: str = ""  # the question bank version the file was made on, '+local' kept ("" = the bank's)

    @property
    def made_on(self) -> str:
        return self.file_version or self.assessment.bank_version


def version_relation(file_version: str, bank_version: str) -> str:
    """'same', 'older' (migrate) or 'newer' (refuse) for a file's bank version against the bank in use."""
    if file_version == bank_version:
        return "same"
    found, current = _VERSION.match(file_version), _VERSION.match(bank_version)
    if not found or not current:
        return "newer"
    found_key = (int(found[1]), int(found[2]))
    current_key = (int(current[1]), int(current[2]))
    return "older" if found_key <= current_key else "newer"


def refuse_newer(file_version: str, bank: QuestionBank, what: str) -> None:
    raise UploadRefused(
        f"This {what} was made for question bank version {file_version!r}, which this app does not know "
        f"(it uses version {bank.version}). Use the app that made it, or fill in a fresh template from the Start page."
    )
