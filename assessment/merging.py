"""Merging several agencies' returns for one area and year into one assessment with its respondents (issue 10).

``python -m assessment merge FILE... -o agreed.json`` and the Start page's upload of several agencies' templates
both use this. Each return becomes one respondent (a return that already holds respondents brings all of them);
the partnership's answers are the proposals of the published rule, ready to be agreed. Returns for different
areas, years or question bank versions are refused, with a message naming the files.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessment.agreement import settled
from assessment.files.imported import ImportedAssessment
from assessment.model import AGENCY_OTHER, Assessment, AssessmentError, Respondent, new_id
from questions.models import QuestionBank


def _differ(what: str, groups: dict[str, list[str]]) -> AssessmentError:
    listed = "; ".join(f"{value} ({', '.join(names)})" for value, names in groups.items())
    return AssessmentError(
        f"These returns are for different {what}: {listed}. Merge only the returns of one area for one year, "
        "made on the same question bank."
    )


def respondents_of(name: str, imported: ImportedAssessment) -> list[Respondent]:
    """The respondents a return brings: its own, or the whole return as one respondent named after the file."""
    found = imported.assessment
    if found.respondents:
        return list(found.respondents)
    return [
        Respondent(
            agency=AGENCY_OTHER,
            agency_name=f"Return {name}"[:200],
            answers=dict(found.answers),
            partner_answers={p: dict(row) for p, row in found.partner_answers.items()},
        )
    ]


def merge_returns(bank: QuestionBank, returns: Sequence[tuple[str, ImportedAssessment]]) -> Assessment:
    """One assessment holding every return's answers as respondents, with the proposed agreement."""
    if len(returns) < 2:
        raise AssessmentError("Give two or more returns to merge: one file per agency.")
    checks = (
        ("areas", lambda i: " ".join(i.assessment.area.split()).casefold(), lambda i: i.assessment.area),
        ("years", lambda i: str(i.assessment.year), lambda i: str(i.assessment.year)),
        ("question bank versions", lambda i: i.made_on, lambda i: i.made_on or "unknown"),
    )
    for what, key, shown in checks:
        groups: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for name, imported in returns:
            labels.setdefault(key(imported), shown(imported))
            groups.setdefault(key(imported), []).append(name)
        if len(groups) > 1:
            raise _differ(what, {labels[k]: names for k, names in groups.items()})
    first = returns[0][1].assessment
    people: list[Respondent] = []
    seen: set[str] = set()
    for name, imported in returns:
        for respondent in respondents_of(name, imported):
            if respondent.id in seen:  # the same template copied: each return still counts once
                respondent = respondent.model_copy(update={"id": new_id()})
            seen.add(respondent.id)
            people.append(respondent)
    merged = Assessment(
        area=first.area,
        year=first.year,
        bank_version=bank.version,
        targets=dict(first.targets),
        respondents=people,
    )
    return settled(merged, bank)
