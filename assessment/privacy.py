"""Spots free text that looks like personal data about an individual.

The self-assessment is about the partnership, never about people: notes that seem to hold a
PNC number, a National Insurance number, a date of birth, an email address or a phone number get
a visible warning. The checks are deliberately cautious; they warn, they never block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19\d\d|20[01]\d|\d\d)|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+(?:19|20)\d\d)"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a Police National Computer (PNC) number", re.compile(r"\b\d{2,4}/\d{5,7}[A-Za-z]\b")),
    (
        "a National Insurance number",
        re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE),
    ),
    (
        "a date of birth",
        re.compile(
            rf"(?:\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?)\b[:\s]*{_DATE})|"
            r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:19[3-9]\d|200\d)\b",
            re.IGNORECASE,
        ),
    ),
    ("an email address", re.compile(r"\b[\w.+\-]+@[\w\-]+\.[\w.\-]+\b")),
    ("a phone number", re.compile(r"(?<![\d/])(?:\+44\s?\(?0?\)?\s?|\b0)(?:\d[\s\-]?){9,10}\b")),
)


@dataclass(frozen=True)
class PersonalDataWarning:
    kind: str
    sample: str

    def message(self) -> str:
        return (
            f"This note seems to contain {self.kind} (“{self.sample}”). The self-assessment is about the "
            "partnership, not about individuals: please remove details that could identify a person."
        )


def find_personal_data(text: str) -> list[PersonalDataWarning]:
    """Every kind of personal detail the text seems to hold, once each, in a fixed order."""
    if not text:
        return []
    found = []
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            sample = match.group(0).strip()
            masked = sample[:3] + "…" if len(sample) > 4 else sample
            found.append(PersonalDataWarning(kind=kind, sample=masked))
    return found
