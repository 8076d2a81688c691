"""The scorecard as plain rows: the same tables feed the Results page and the Excel report."""

from __future__ import annotations

from assessment.agreement import NOT_YET_AGREED
from assessment.model import Assessment
from assessment.scoring import PartnerCoverage, Scorecard, StatementResult
from assessment.scoring import percent_text as _percent
from assessment.wording import (
    INSUFFICIENT,
    NO_NATIONAL_FIGURE,
    NO_NATIONAL_FIGURE_NOTE,
    NOT_ANSWERED,
    NOT_KNOWN,
    REASON_NEEDED,
    choice_word,
    yes_no,
)
from benchmarks.loader import get_library
from questions.models import QuestionBank


def score_text(value: float | None) -> str:
    return INSUFFICIENT if value is None else f"{value:.1f}"


def band_text(bank: QuestionBank, band: int | None) -> str:
    return INSUFFICIENT if band is None else bank.level_label(band)


def involved_text(coverage: PartnerCoverage) -> str:
    """Yes, No or Not known: a partner is involved at either level; not known where an unknown level could say."""
    involved = coverage.involved
    return NOT_KNOWN if involved is None else yes_no(involved)


def answer_text(bank: QuestionBank, assessment: Assessment, result: StatementResult) -> str:
    answer = assessment.answer(result.statement.id)
    if answer.choice is None:
        return NOT_ANSWERED
    word = choice_word(bank, answer.choice)
    if answer.choice == "not_applicable" and not answer.na_reason:
        word += f" ({REASON_NEEDED})"
    if assessment.respondents and result.statement.id not in assessment.agreed:  # issue 10: a proposal, not agreed
        word += f" ({NOT_YET_AGREED})"
    return word


def principle_rows(bank: QuestionBank, scorecard: Scorecard) -> list[dict]:
    return [
        {
            "Principle": f"{p.principle.number}. {p.principle.name}",
            "Score": p.score,
            "Score shown": score_text(p.score),
            "Band": band_text(bank, p.band),
            "Target": f"{p.target} {bank.level_label(p.target)}",
            "Statements scored": f"{p.scored} of {p.applicable}",
        }
        for p in scorecard.principles
    ]


def statement_rows(bank: QuestionBank, assessment: Assessment, results: list[StatementResult]) -> list[dict]:
    return [
        {
            "Principle": r.principle.number,
            "Statement": r.statement.text,
            "Answer": answer_text(bank, assessment, r),
            "Level": r.level,
            "Target": r.target,
            "Weight": r.weight,
            "Evidence note": assessment.answer(r.statement.id).evidence,
        }
        for r in results
    ]


def involvement_text(coverage: PartnerCoverage, level: str) -> str:
    value = coverage.coverage(level)  # type: ignore[arg-type]
    if value is None:
        return NOT_KNOWN
    return ("Involved" if coverage.involved_at(level) else "Not involved") + f" ({_percent(value)})"  # type: ignore[arg-type]


def partner_rows(scorecard: Scorecard) -> list[dict]:
    library = get_library()
    rows = []
    for coverage in scorecard.partners:
        figure = library.national_figure(coverage.partner.id)
        rows.append(
            {
                "Partner": coverage.partner.name,
                "Strategic": coverage.strategic,
                "Operational": coverage.operational,
                "Strategic level": involvement_text(coverage, "strategic"),
                "Operational level": involvement_text(coverage, "operational"),
                "Involved": involved_text(coverage),
                "National figure": figure.percent if figure else None,
                "National figure shown": NO_NATIONAL_FIGURE
                if figure is None or figure.percent is None
                else f"{figure.percent}%",
                "About the national figure": figure.note if figure else NO_NATIONAL_FIGURE_NOTE,
            }
        )
    return rows
