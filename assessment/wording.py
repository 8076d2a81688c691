"""The words pages, workbooks and the command line show for answers, states and costs, each written once.

The level and band words (0 Not in place … 4 Embedded) and the partner answer words (Yes, Partly, No,
Don't know) come from the question bank; everything else shown for an answer or a figure is here.
"""

from __future__ import annotations

from questions.models import QuestionBank

DONT_KNOW = "Don't know"
NOT_APPLICABLE = "Not applicable"
NOT_ANSWERED = "Not answered"
NOT_KNOWN = "Not known"
INSUFFICIENT = "Insufficient evidence"
REASON_NEEDED = "reason needed"
NO_NATIONAL_FIGURE = "No national figure"
NO_NATIONAL_FIGURE_NOTE = "The national survey gives no figure for this partner."
YES = "Yes"
NO = "No"

# The statement answers that are not a level, by their stored id.
OTHER_CHOICES = {"dont_know": DONT_KNOW, "not_applicable": NOT_APPLICABLE}

# What the sources state about an action's cost, by the id in the benchmark data. An action is a quick win only when
# a source states that cost is low or neutral for all of its practice examples. The briefing says many of its
# examples are cost-neutral but never which, so with today's sources no action is a quick win.
COST_TEXT: dict[str, str] = {
    "neutral": "Cost-neutral, as a source states",
    "low": "Low cost, as a source states",
    "not stated": "Cost not stated in the sources",
}
QUICK_WIN_TEXT = "A quick win is an action whose practice examples a source states are low-cost or cost-neutral."
NO_QUICK_WINS_TEXT = (
    "None of these actions is a quick win: the sources say many of their practice examples are cost-neutral, "
    "but not which ones, and no source states the cost of the examples these actions draw on."
)


def yes_no(value: bool) -> str:
    return YES if value else NO


def level_word(bank: QuestionBank, number: int) -> str:
    """'2 Developing': a level with its number, as in the answer lists."""
    return f"{number} {bank.level_label(number)}"


def choice_word(bank: QuestionBank, choice: str | None) -> str:
    """A stored statement answer in words: '2 Developing', Don't know, Not applicable, or '' when not answered."""
    if choice is None:
        return ""
    return OTHER_CHOICES.get(choice) or level_word(bank, int(choice))


def answer_words(bank: QuestionBank) -> list[str]:
    """Every statement answer in words, in order: '0 Not in place' … '4 Embedded', Don't know, Not applicable."""
    return [level_word(bank, level.number) for level in bank.levels] + list(OTHER_CHOICES.values())


def partner_words(bank: QuestionBank) -> dict[str, str]:
    """Partner answer id -> its word in the bank (Yes, Partly, No, Don't know)."""
    return {option.id: option.label for option in bank.partners.answers}
