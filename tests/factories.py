"""Small factories for tests: a tiny question bank and assessments built from plain arguments."""

from __future__ import annotations

from assessment.model import Assessment, StatementAnswer
from questions.models import QuestionBank

SOURCE = {"file": "002_58e7e1b3ce4aabbc.txt", "section": "1. All Partners Manage Offenders Together"}
PARTNER_IDS = ("police", "probation", "mental_health", "alcohol_treatment", "housing", "prison")


def statement(sid: str, weight: float = 1.0) -> dict:
    return {
        "id": sid,
        "text": f"Statement {sid} about observable practice",
        "levels": [f"Level {n} description for {sid}" for n in range(5)],
        "evidence": ["Minutes of meetings"],
        "sources": [SOURCE],
        "weight": weight,
    }


def make_bank(statements_per_principle: int = 4, weights: dict[str, float] | None = None) -> QuestionBank:
    """A bank of six principles with ``sN-M`` statements, six partners and four indicators."""
    weights = weights or {}
    principles = []
    for number in range(1, 7):
        ids = [f"s{number}-{m}" for m in range(1, statements_per_principle + 1)]
        principles.append(
            {
                "number": number,
                "name": f"Principle number {number}",
                "summary": "What the principle expects of an area.",
                "source": SOURCE,
                "statements": [statement(sid, weights.get(sid, 1.0)) for sid in ids],
            }
        )
    return QuestionBank.model_validate(
        {
            "version": "test-1",
            "title": "Test bank",
            "levels": [
                {"number": n, "label": label, "meaning": f"Meaning of {label}"}
                for n, label in enumerate(("Not in place", "Emerging", "Developing", "Established", "Embedded"))
            ],
            "principles": principles,
            "partners": {
                "intro": "Rate each partner's involvement.",
                "answers": [
                    {"id": "yes", "label": "Yes", "score": 1.0},
                    {"id": "partly", "label": "Partly", "score": 0.5},
                    {"id": "no", "label": "No", "score": 0.0},
                    {"id": "dont_know", "label": "Don't know", "score": None},
                ],
                "partners": [{"id": pid, "name": pid.title(), "source": SOURCE} for pid in PARTNER_IDS],
                "indicators": [
                    {
                        "id": "board",
                        "level": "strategic",
                        "text": "Sits on the board",
                        "short": "Board",
                        "source": SOURCE,
                    },
                    {
                        "id": "vision",
                        "level": "strategic",
                        "text": "Signed up to the vision",
                        "short": "Vision",
                        "source": SOURCE,
                    },
                    {
                        "id": "meetings",
                        "level": "operational",
                        "text": "Attends meetings",
                        "short": "Meetings",
                        "source": SOURCE,
                    },
                    {
                        "id": "contact",
                        "level": "operational",
                        "text": "Named contact",
                        "short": "Contact",
                        "source": SOURCE,
                    },
                ],
            },
        }
    )


def make_assessment(choices: dict[str, str] | None = None, **fields) -> Assessment:
    """An assessment whose answers are given as statement id -> choice ('0'-'4', 'dont_know', 'na')."""
    answers = {}
    for sid, choice in (choices or {}).items():
        if choice == "na":
            answers[sid] = StatementAnswer(choice="not_applicable", na_reason="No such service here")
        else:
            answers[sid] = StatementAnswer(choice=choice)
    defaults = {"area": "Testshire", "year": 2026, "bank_version": "test-1"}
    return Assessment(answers=answers, **{**defaults, **fields})
