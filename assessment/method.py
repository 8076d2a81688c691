"""A worked example of the scoring method, computed by the scoring functions themselves.

The page and the Excel report show this, so the example can never drift from what the code does.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model import Assessment, StatementAnswer
from assessment.scoring import decimal_text, partner_scores, percent_text, score_partner, score_principle
from assessment.wording import DONT_KNOW, NOT_ANSWERED, NOT_APPLICABLE, choice_word, yes_no
from questions.models import QuestionBank

# The answers of the example, in statement order; more statements than these are left unanswered.
_EXAMPLE_CHOICES = ("3", "2", "dont_know", "not_applicable", "4", "1", "2")


@dataclass(frozen=True)
class WorkedExample:
    introduction: str
    rows: list[dict]
    steps: list[str]
    partner_steps: list[str]


def worked_example(bank: QuestionBank) -> WorkedExample:
    principle = bank.principles[0]
    answers = {}
    for statement, choice in zip(principle.statements, _EXAMPLE_CHOICES, strict=False):
        answers[statement.id] = StatementAnswer(
            choice=choice,  # type: ignore[arg-type]
            na_reason="Example reason" if choice == "not_applicable" else "",
        )
    example = Assessment(area="Worked example", year=2026, bank_version=bank.version, answers=answers)
    result = score_principle(example, principle)
    rows = []
    for item in result.results:
        answer = example.answer(item.statement.id)
        rows.append(
            {
                "Statement": item.statement.text,
                "Answer": choice_word(bank, answer.choice) or NOT_ANSWERED,
                "Weight": f"{item.weight:g}",
                "Counts towards the score": yes_no(item.status == "scored"),
            }
        )
    scored = [r for r in result.results if r.status == "scored"]
    weighted = " + ".join(f"{r.level} × {r.weight:g}" for r in scored)
    weights = " + ".join(f"{r.weight:g}" for r in scored)
    steps = [
        f"{result.applicable} statements are applicable (one is '{NOT_APPLICABLE}', with a reason). "
        f"{result.scored} have a level, at least half of {result.applicable}, so a score is reported.",
        f"Weighted mean: ({weighted}) ÷ ({weights}) = {decimal_text(result.exact)}.",
        f"Rounded to one decimal place: {result.score:.1f}. The nearest level is {result.band}, "
        f"so the band is {bank.level_label(result.band)}.",
        f"The '{DONT_KNOW}' answer is listed as an evidence gap on the Results page.",
    ]
    partner = bank.partners.partners[0]
    strategic = [i for i in bank.partners.indicators if i.level == "strategic"]
    operational = [i for i in bank.partners.indicators if i.level == "operational"]
    # Ends with 'Don't know' however many strategic indicators there are, so the example shows it left out.
    pattern = ("yes", "partly", "no")
    partner_answers = {i.id: pattern[n % 3] for n, i in enumerate(strategic[:-1])} | {strategic[-1].id: "dont_know"}
    partner_answers |= {i.id: ("yes" if n % 2 == 0 else "no") for n, i in enumerate(operational)}
    coverage = score_partner(
        bank,
        Assessment(
            area="Worked example", year=2026, bank_version=bank.version, partner_answers={partner.id: partner_answers}
        ),
        partner,
    )
    labels = {o.id: o.label for o in bank.partners.answers}

    def describe(indicators: list) -> str:
        return ", ".join(f"{labels[partner_answers[i.id]]}" for i in indicators)

    scores = partner_scores(bank)

    def arithmetic(indicators: list) -> str:
        values = [scores[partner_answers[i.id]] for i in indicators if partner_answers[i.id] in scores]
        return f"({' + '.join(f'{v:g}' for v in values)}) ÷ {len(values)}"

    partner_steps = [
        f"Strategic answers for {partner.name}: {describe(strategic)}. '{DONT_KNOW}' is left out: "
        f"{arithmetic(strategic)} = {coverage.strategic / 100:g}, that is {percent_text(coverage.strategic)}, so {partner.name} "
        f"{'is' if coverage.involved_at('strategic') else 'is not'} involved at strategic level.",
        f"Operational answers: {describe(operational)}: {arithmetic(operational)} = {coverage.operational / 100:g}, that is {percent_text(coverage.operational)}, so "
        f"{'involved' if coverage.involved_at('operational') else 'not involved'} at operational level.",
        f"Overall, {partner.name} {'counts' if coverage.involved else 'does not count'} as involved, because it is "
        "involved at one level or more.",
    ]
    return WorkedExample(
        introduction=(
            f"Take principle {principle.number}, '{principle.name}', answered as below "
            "(answers invented for the example)."
        ),
        rows=rows,
        steps=steps,
        partner_steps=partner_steps,
    )
