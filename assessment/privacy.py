"""Spots free text that looks like personal data about an individual, and masks it in exports.

The self-assessment is about the partnership, never about people. Every free-text field (evidence notes,
reasons, and each action's what, lead, owner, notes and reason dropped) is checked for UK identifiers: a
Police National Computer (PNC) or Criminal Records Office (CRO) number, a prison number, a National
Insurance or NHS number, a date of birth, a postcode, an email address or a phone number. The page warns,
it never blocks, and the saved note is left as written; the Excel report and the JSON export show each
flagged fragment masked (``mask_personal_data``), so a download never carries it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assessment.model import ActionEdit, Assessment, StatementAnswer

# The free-text fields of each record: what the guard checks and what exports mask.
ANSWER_TEXT_FIELDS = ("evidence", "na_reason")
ACTION_TEXT_FIELDS = ("what", "lead", "owner", "notes", "dropped_reason")

MASK = "*"
MASKED_NOTE = (
    "Text that looks like personal data (such as a National Insurance number) is masked with * in this file. "
    "The notes saved in the app are unchanged."
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)?\d\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+(?:19|20)\d\d)"


def _digits(fragment: str) -> str:
    """Every digit masked, everything else kept: 'AB 12 34 56 C' -> 'AB ** ** ** C'."""
    return re.sub(r"\d", MASK, fragment)


def _postcode(fragment: str) -> str:
    """The inward part masked: 'LS1 4AP' -> 'LS1 ***' (the district alone does not point to a person)."""
    return fragment[:-3] + MASK * 3


def _email(fragment: str) -> str:
    """The name before the @ masked but for its first character: 'j.smith@example.org' -> 'j******@example.org'."""
    name, _, domain = fragment.partition("@")
    return name[:1] + MASK * (len(name) - 1) + "@" + domain


def _nhs_number(match: re.Match[str]) -> bool:
    """The NHS number's check digit: the first nine digits weighted 10 down to 2, modulo 11 (NHS Data Dictionary)."""
    digits = [int(d) for d in re.sub(r"\D", "", match.group(0))]
    remainder = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    return check != 10 and check % 11 == digits[9]


def _always(_: re.Match[str]) -> bool:
    return True


@dataclass(frozen=True)
class _Kind:
    name: str
    pattern: re.Pattern[str]
    mask: Callable[[str], str] = _digits
    accept: Callable[[re.Match[str]], bool] = _always


_KINDS: tuple[_Kind, ...] = (
    # PNC: year / serial / check letter, such as 12/345678A or 2012/345678A.
    _Kind("a Police National Computer (PNC) number", re.compile(r"\b(?:\d{2}|\d{4})/\d{5,7}[A-Z]\b", re.I)),
    # CRO: serial / two-digit year and a check letter, such as 123456/08X (also written SF08/123456X).
    _Kind(
        "a Criminal Records Office (CRO) number",
        re.compile(r"\b(?:\d{1,6}/\d{2}[A-Z]|SF\d{2}/\d{1,6}[A-Z])\b", re.I),
    ),
    # A prison number: a letter, four digits, two letters, such as A1234BC.
    _Kind("a prison number", re.compile(r"\b[A-Z]\d{4}[A-Z]{2}\b")),
    # National Insurance: two letters, six digits, a letter A to D, often spaced AB 12 34 56 C.
    _Kind(
        "a National Insurance number",
        re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I),
    ),
    # NHS number: ten digits, usually 3-3-4, whose last digit is the modulus 11 check digit.
    _Kind(
        "an NHS number", re.compile(r"(?<![\d/.,£$])\b[1-9]\d{2}[ -]?\d{3}[ -]?\d{4}\b(?![.,]\d)"), accept=_nhs_number
    ),
    # A date of birth: a date after DOB, 'date of birth' or 'born', or any full date before 2000 (the IOM
    # partnerships began in 2009: a date from the last century in a note is most likely someone's birth).
    _Kind(
        "a date of birth",
        re.compile(
            rf"(?:\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?)[:\s]*{_DATE})|"
            rf"\b(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]19\d\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+19\d\d)\b",
            re.I,
        ),
    ),
    # UK postcode (outward code, space, inward code), such as LS1 4AP, SW1A 2AA or M1 1AE.
    _Kind(
        "a postcode",
        re.compile(
            r"\b(?:[A-PR-UWYZ]\d[A-HJKPSTUW\d]?|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRV-Y\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b", re.I
        ),
        mask=_postcode,
    ),
    _Kind("an email address", re.compile(r"\b[\w.+\-]+@[\w\-]+\.[\w.\-]+\b"), mask=_email),
    _Kind("a phone number", re.compile(r"(?<![\d/])(?:\+44\s?\(?0?\)?\s?|\b0)(?:\d[\s\-]?){9,10}\b")),
)


@dataclass(frozen=True)
class PersonalDataWarning:
    kind: str
    sample: str  # the fragment as exports show it, masked

    def message(self) -> str:
        return (
            f"This seems to contain {self.kind} (“{self.sample}”). The self-assessment is about the partnership, "
            "not about individuals: please remove details that could identify a person. Until you do, the Excel "
            "report and the JSON file show it masked, as here; the text saved here is unchanged."
        )


def _matches(kind: _Kind, text: str) -> list[re.Match[str]]:
    return [match for match in kind.pattern.finditer(text) if kind.accept(match)]


def find_personal_data(text: str) -> list[PersonalDataWarning]:
    """Every kind of personal detail the text seems to hold, once each, in a fixed order."""
    if not text:
        return []
    found = []
    for kind in _KINDS:
        if matches := _matches(kind, text):
            found.append(PersonalDataWarning(kind=kind.name, sample=kind.mask(matches[0].group(0).strip())))
    return found


def mask_personal_data(text: str) -> str:
    """The text with every fragment the guard flags masked; everything else exactly as written."""
    if not text:
        return text
    for kind in _KINDS:
        matches = _matches(kind, text)
        for match in reversed(matches):  # from the end, so earlier positions stay valid
            text = text[: match.start()] + kind.mask(match.group(0)) + text[match.end() :]
    return text


def free_text(record: StatementAnswer | ActionEdit) -> str:
    """All the free text of one answer or action, for the page's warning."""
    fields = ANSWER_TEXT_FIELDS if isinstance(record, StatementAnswer) else ACTION_TEXT_FIELDS
    return "\n".join(getattr(record, name) for name in fields if getattr(record, name))


@dataclass(frozen=True)
class MaskedAssessment:
    """An assessment as exports show it, and which parts of it had something masked."""

    assessment: Assessment
    answers_masked: bool
    plan_masked: bool

    @property
    def any_masked(self) -> bool:
        return self.answers_masked or self.plan_masked


def mask_assessment(assessment: Assessment) -> MaskedAssessment:
    """A copy of the assessment for export, each flagged fragment of its free text masked. The original is unchanged."""
    answers = {sid: _masked(answer, ANSWER_TEXT_FIELDS) for sid, answer in assessment.answers.items()}
    plan = {aid: _masked(edit, ACTION_TEXT_FIELDS) for aid, edit in assessment.plan.items()}
    answers_masked = any(answers[sid] is not answer for sid, answer in assessment.answers.items())
    plan_masked = any(plan[aid] is not edit for aid, edit in assessment.plan.items())
    # Each agency's own answers and the reasons for agreed answers (issue 10) are masked the same way.
    respondents = [
        r.model_copy(update={"answers": {sid: _masked(a, ANSWER_TEXT_FIELDS) for sid, a in r.answers.items()}})
        for r in assessment.respondents
    ]
    agreed = {
        sid: a.model_copy(update={"reason": mask_personal_data(a.reason)}) for sid, a in assessment.agreed.items()
    }
    answers_masked = (
        answers_masked
        or any(
            mine.answers[sid] is not a
            for r, mine in zip(assessment.respondents, respondents, strict=True)
            for sid, a in r.answers.items()
        )
        or any(agreed[sid].reason != a.reason for sid, a in assessment.agreed.items())
    )
    if not (answers_masked or plan_masked):
        return MaskedAssessment(assessment, False, False)
    return MaskedAssessment(
        assessment.model_copy(update={"answers": answers, "plan": plan, "respondents": respondents, "agreed": agreed}),
        answers_masked,
        plan_masked,
    )


def _masked(record: StatementAnswer | ActionEdit, fields: tuple[str, ...]) -> StatementAnswer | ActionEdit:
    changes = {name: mask_personal_data(getattr(record, name)) for name in fields}
    changes = {name: value for name, value in changes.items() if value != getattr(record, name)}
    return record.model_copy(update=changes) if changes else record
