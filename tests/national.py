"""Generated returns at national scale, for the benchmark and the end-to-end Compare walk: one per police force
area (or ten local schemes each) for each year, with plausible, varied answers. Fixed seeds: the same every run."""

from __future__ import annotations

import random

from assessment.model import Assessment, StatementAnswer
from benchmarks.areas import get_register
from questions.models import QuestionBank

CHOICES = ("yes", "partly", "no", "dont_know")


def national_returns(
    bank: QuestionBank, years: tuple[int, ...] = (2025, 2026), *, schemes: int = 0
) -> list[Assessment]:
    """A return for each force area (or ``schemes`` local schemes under each) and year."""
    returns = []
    for index, force in enumerate(get_register().forces):
        names = [force.name] if not schemes else [f"{force.name}: Scheme {n}" for n in range(1, schemes + 1)]
        for name in names:
            for year in years:
                returns.append(generated_return(bank, name, year, seed=index))
    return returns


def generated_return(bank: QuestionBank, area: str, year: int, *, seed: int) -> Assessment:
    rng = random.Random(f"{area}|{year}|{seed}")
    leaning = rng.choice((1, 2, 2, 3, 3))
    answers = {}
    for _, statement in bank.statements():
        roll = rng.random()
        if roll < 0.07:
            answers[statement.id] = StatementAnswer(choice="dont_know")
        else:
            level = max(0, min(4, leaning + rng.choice((-1, 0, 0, 1))))
            answers[statement.id] = StatementAnswer(choice=str(level), evidence="Board minutes")  # type: ignore[arg-type]
    partner_answers = {
        partner.id: {indicator.id: rng.choice(CHOICES) for indicator in bank.partners.indicators}
        for partner in bank.partners.partners
    }
    return Assessment(area=area, year=year, bank_version=bank.version, answers=answers, partner_answers=partner_answers)
