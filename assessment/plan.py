"""The gap action plan: pure functions from a scorecard to a ranked, explainable list of actions.

Gaps are found in the scorecard: a statement below its principle's target, a statement answered 'Don't know'
(in a principle that still has enough answers for a score), a partner not involved at strategic or operational
level (or whose involvement nobody knows), and a principle with too few answers for a score. Each gap is
answered by the matching rules in ``benchmarks/data/action_rules.toml``; the code only looks the rules up, so
which action answers which gap is data, with its sources. Where two rules say much the same (a rule
``absorbs`` the other), one action answers both gaps, so the board never sees the same advice twice.

Priority (``PRIORITY_METHOD`` is the text the app shows, and ``_statement_gap`` and its neighbours do exactly
what it says): a statement gap scores (target - level) x weight x 10; a statement answered 'Don't know' scores
5, below every real gap; a partner not involved at a level scores 10 + 20 x the share of that level still
missing; a partner whose involvement is unknown scores 15; both are doubled for the partners the question bank
marks as priority (those the briefing names as under-developed in many areas); a principle with insufficient
evidence scores 20 + 10 for each further statement it needs. An action answering several gaps takes the points
of the biggest. Actions are listed by points, highest first, ties broken by action id, so the same answers give
the same plan. Each action says why it has its rank in a plain sentence first, then the arithmetic.

The board's records (``ActionEdit``) are merged in: an action whose gap no longer shows but which the board has
recorded something against stays listed, so no work is lost. Its gap is "closed" only once this year's answers
have answered the statement or partner again; until then (an action carried forward into a new year that nobody
has answered yet) it is "not yet re-assessed" and still open. The board's own actions are listed beside the
generated ones.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from assessment.model import ActionEdit, Assessment
from assessment.scoring import (
    INVOLVED_AT,
    PartnerCoverage,
    PrincipleScore,
    Scorecard,
    StatementResult,
    partner_scores,
    percent_text,
    round_score,
    statements_needed,
)
from assessment.wording import DONT_KNOW
from benchmarks.loader import get_action_rules
from benchmarks.models import (
    ActionRule,
    ActionRules,
    Cost,
    EnablingFactor,
    EvidenceFigure,
    NationalFigure,
    PracticeExample,
    PracticeLibrary,
)
from questions.models import QuestionBank, Source, Statement

GapKind = Literal["statement", "statement_unknown", "partner", "partner_unknown", "evidence"]
ActionState = Literal["open", "awaiting", "closed", "own"]

STATEMENT_POINTS = 10
UNKNOWN_STATEMENT_POINTS = 5
PARTNER_BASE_POINTS = 10
PARTNER_SHORTFALL_POINTS = 20
UNKNOWN_PARTNER_POINTS = 15
PRIORITY_PARTNER_FACTOR = 2
FACTOR_WORDS = {1: "not changed", 2: "doubled", 3: "tripled"}
EVIDENCE_BASE_POINTS = 20
EVIDENCE_PER_STATEMENT_POINTS = 10

# Where a level's involvement shows, in the words a board member uses.
LEVEL_WHERE = {"strategic": "at board level", "operational": "in day-to-day work"}
PRIORITY_PARTNERS_SOURCE = Source(file="001_8e1431ee41747c83.txt", section="Bringing the right partners to the table")
PRIORITY_PARTNER_WHY = "the Revolving Doors briefing names it as a partner that many IOM areas could involve much more"

PRIORITY_METHOD = (
    "Each suggested action takes the points of the gap it answers. The plan lists actions from the most points "
    "to the fewest; actions with equal points are always listed in the same order, so the same answers "
    "always give the same plan.",
    f"A statement below its principle's target scores (target − level) × the statement's weight × "
    f"{STATEMENT_POINTS}. For example, level 1 against a target of 3 on a statement of weight 2 scores 2 × 2 × "
    f"{STATEMENT_POINTS} = {2 * 2 * STATEMENT_POINTS} points.",
    f"A partner not involved at strategic or operational level (coverage below {INVOLVED_AT:.0f}%) scores "
    f"{PARTNER_BASE_POINTS} + {PARTNER_SHORTFALL_POINTS} × the share of that level still missing: "
    f"{PARTNER_BASE_POINTS + PARTNER_SHORTFALL_POINTS:g} points at 0% coverage, "
    f"{PARTNER_BASE_POINTS + PARTNER_SHORTFALL_POINTS * 0.6:g} at 40%.",
    f"A partner whose involvement at a level nobody knows ('{DONT_KNOW}' or no answer) scores "
    f"{UNKNOWN_PARTNER_POINTS} points: the first step is to find out.",
    f"Partner points are {FACTOR_WORDS[PRIORITY_PARTNER_FACTOR]} for {{priority_partners}}: the partners the "
    "Revolving Doors briefing names as under-developed in many IOM areas ({priority_source}).",
    f"A principle with too few answers for a score scores {EVIDENCE_BASE_POINTS} points, plus "
    f"{EVIDENCE_PER_STATEMENT_POINTS} for each further statement that needs a level before the principle can be "
    "scored.",
    f"A statement answered '{DONT_KNOW}' scores {UNKNOWN_STATEMENT_POINTS} points, below every real gap: the "
    "first step is to find out where you stand. Where its principle has too few answers for a score, the action "
    "to gather the evidence for the principle covers it instead.",
    "Where two suggestions say much the same, they are shown as one action that answers both gaps. It takes "
    "the points of the bigger gap.",
    "Actions the board adds itself are not ranked. They are listed with the principle or partner they concern.",
)

# An action's cost is what a source states about the cost of every practice example it cites (the words are in
# assessment/wording.py).
COST_ORDER: tuple[Cost, ...] = ("not stated", "low", "neutral")
QUICK_WIN_COSTS: frozenset[str] = frozenset({"neutral", "low"})


def priority_method(bank: QuestionBank) -> tuple[str, ...]:
    """``PRIORITY_METHOD`` with the bank's priority partners named."""
    names = [p.name.split(" (")[0] for p in bank.partners.partners if p.priority]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    return tuple(
        step.format(priority_partners=listed or "no partner", priority_source=PRIORITY_PARTNERS_SOURCE.cite())
        for step in PRIORITY_METHOD
    )


@dataclass(frozen=True)
class Gap:
    """One gap in the scorecard: what it is, its points, why it matters (``why``) and the arithmetic (``reason``)."""

    key: str
    kind: GapKind
    description: str
    points: float
    reason: str
    principle: int | None = None
    statement_id: str | None = None
    partner_id: str | None = None
    level: str | None = None
    why: str = ""


@dataclass(frozen=True)
class Action:
    """One action of the plan: generated from a rule for a gap (and any gaps it ``also`` answers), or the board's."""

    id: str
    state: ActionState
    title: str
    what: str
    lead: str
    timescale: str
    cost: Cost
    principle: int | None
    partners: tuple[str, ...]
    gap: Gap | None = None
    rule_id: str | None = None
    examples: tuple[PracticeExample, ...] = ()
    factors: tuple[EnablingFactor, ...] = ()
    evidence: tuple[EvidenceFigure, ...] = ()
    national: NationalFigure | None = None
    sources: tuple[Source, ...] = ()
    priority: float = 0.0
    rank: int | None = None
    rank_reason: str = ""
    rank_working: str = ""
    edit: ActionEdit | None = None
    also: tuple[Gap, ...] = ()
    absorbed: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return self.edit.status if self.edit else "not_started"

    @property
    def owner(self) -> str:
        return self.edit.owner if self.edit else ""

    @property
    def quick_win(self) -> bool:
        return self.cost in QUICK_WIN_COSTS

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Every gap the action answers: its own first, then those of the suggestions it took in."""
        return ((self.gap,) if self.gap else ()) + self.also

    @property
    def gap_keys(self) -> tuple[str, ...]:
        return tuple(gap.key for gap in self.gaps)

    @property
    def partner_id(self) -> str | None:
        return self.partners[0] if self.partners else None


@dataclass(frozen=True)
class ActionPlan:
    """The whole plan: the gaps, the ranked actions, those carried forward whose gap is not yet re-assessed,
    those whose gap has closed, and the board's own."""

    gaps: tuple[Gap, ...]
    actions: tuple[Action, ...]
    closed: tuple[Action, ...] = ()
    own: tuple[Action, ...] = ()
    awaiting: tuple[Action, ...] = ()
    _by_gap: dict[str, tuple[Action, ...]] = field(default_factory=dict, repr=False, compare=False)

    def all(self) -> tuple[Action, ...]:
        """Every action: ranked ones first, then those not yet re-assessed, those whose gap has closed, the board's."""
        return self.actions + self.awaiting + self.closed + self.own

    def for_gap(self, gap_key: str) -> tuple[Action, ...]:
        return self._by_gap.get(gap_key, ())

    def action(self, action_id: str) -> Action:
        for action in self.all():
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    def leads(self) -> list[str]:
        return sorted({a.lead for a in self.all() if a.lead}, key=str.casefold)

    def select(
        self,
        *,
        principle: int | None = None,
        partner_id: str | None = None,
        lead: str | None = None,
        quick_wins: bool = False,
        gap_key: str | None = None,
    ) -> list[Action]:
        """The actions that pass every filter given, in plan order."""
        return [
            a
            for a in self.all()
            if (principle is None or a.principle == principle or principle in {g.principle for g in a.also})
            and (partner_id is None or partner_id in a.partners)
            and (lead is None or a.lead == lead)
            and (not quick_wins or a.quick_win)
            and (gap_key is None or gap_key in a.gap_keys)
        ]


# ---- gaps ------------------------------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _statement_gap(bank: QuestionBank, result: StatementResult) -> Gap:
    size = result.target - result.level
    points = size * result.weight * STATEMENT_POINTS
    principle = result.principle
    level, target = bank.level_label(result.level), bank.level_label(result.target)
    counts = ""
    if result.weight != 1:
        counts = ", and it counts " + ("double" if result.weight == 2 else f"{result.weight:g} times") + " in the score"
    return Gap(
        key=f"statement:{result.statement.id}",
        kind="statement",
        description=(
            f"Principle {principle.number}: “{result.statement.text}” Rated {level} (level {result.level}); "
            f"the target is {target} (level {result.target})."
        ),
        points=points,
        reason=(
            f"(target {result.target} − level {result.level}) × weight {result.weight:g} × {STATEMENT_POINTS} = "
            f"{size:g} × {result.weight:g} × {STATEMENT_POINTS} = {points:g} points"
        ),
        principle=principle.number,
        statement_id=result.statement.id,
        why=f"this statement is rated {level}, {_plural(size, 'level')} below your target of {target}{counts}",
    )


def _unknown_statement_gap(result: StatementResult) -> Gap:
    number = result.principle.number
    return Gap(
        key=f"dont-know:{result.statement.id}",
        kind="statement_unknown",
        description=(
            f"Principle {number}: “{result.statement.text}” Answered 'Don't know': nobody who answered knew how "
            "far this is true."
        ),
        points=UNKNOWN_STATEMENT_POINTS,
        reason=f"a statement answered 'Don't know' scores {UNKNOWN_STATEMENT_POINTS} points",
        principle=number,
        statement_id=result.statement.id,
        why=(
            "nobody who answered knew how far this statement is true. Finding out comes before deciding whether "
            "there is a gap, so it is listed after the gaps the answers show"
        ),
    )


def _partner_gap(coverage: PartnerCoverage, level: str) -> Gap | None:
    partner = coverage.partner
    value = coverage.coverage(level)  # type: ignore[arg-type]
    factor = PRIORITY_PARTNER_FACTOR if partner.priority else 1
    where = LEVEL_WHERE[level]
    doubled = ", doubled to {points:g} for a partner the briefing names as under-developed in many areas"
    priority = f", and {PRIORITY_PARTNER_WHY}" if factor != 1 else ""
    if value is None:
        points = UNKNOWN_PARTNER_POINTS * factor
        return Gap(
            key=f"unknown:{partner.id}:{level}",
            kind="partner_unknown",
            description=(
                f"{partner.name}: nobody who answered knows whether the signs of {level} involvement are in place. "
                "Every answer about them is 'Don't know' or blank."
            ),
            points=points,
            reason=(
                f"a partner whose involvement nobody knows scores {UNKNOWN_PARTNER_POINTS} points"
                + (doubled.format(points=points) if factor != 1 else "")
            ),
            partner_id=partner.id,
            level=level,
            why=f"nobody who answered knows how involved this partner is {where}{priority}",
        )
    if value >= INVOLVED_AT:
        return None
    missing = 1 - value / 100
    base = PARTNER_BASE_POINTS + PARTNER_SHORTFALL_POINTS * missing
    points = round_score(base * factor)
    if value == 0:
        found = f"none of the signs of {level} involvement are in place (0%)"
        why = f"this partner is not involved {where} at all{priority}"
    else:
        found = f"only some of the signs of {level} involvement are in place ({percent_text(value)})"
        why = f"this partner is only partly involved {where} ({percent_text(value)}){priority}"
    return Gap(
        key=f"partner:{partner.id}:{level}",
        kind="partner",
        description=f"{partner.name}: {found}. A partner counts as involved from {INVOLVED_AT:.0f}%.",
        points=points,
        reason=(
            f"{PARTNER_BASE_POINTS} + {PARTNER_SHORTFALL_POINTS} × {missing:.2f} (the share of the signs still "
            f"missing) = {base:g} points" + (doubled.format(points=points) if factor != 1 else "")
        ),
        partner_id=partner.id,
        level=level,
        why=why,
    )


def _evidence_gap(principle_score: PrincipleScore) -> Gap | None:
    applicable, scored = principle_score.applicable, principle_score.scored
    if not principle_score.insufficient or applicable == 0:
        return None
    needed = statements_needed(applicable)
    missing = max(needed - scored, 1)
    points = EVIDENCE_BASE_POINTS + EVIDENCE_PER_STATEMENT_POINTS * missing
    number = principle_score.principle.number
    return Gap(
        key=f"evidence:p{number}",
        kind="evidence",
        description=(
            f"Principle {number} cannot be scored yet: {scored} of its {applicable} statements "
            f"{'has' if scored == 1 else 'have'} a level, and it needs at least {needed}."
        ),
        points=points,
        reason=(
            f"{EVIDENCE_BASE_POINTS} + {EVIDENCE_PER_STATEMENT_POINTS} × {missing} (the statements still needed) "
            f"= {points:g} points"
        ),
        principle=number,
        why=(
            f"principle {number} cannot be scored until {_plural(missing, 'more statement')} "
            f"{'has' if missing == 1 else 'have'} a level"
        ),
    )


def find_gaps(bank: QuestionBank, scorecard: Scorecard) -> list[Gap]:
    """Every gap in a scorecard, in the bank's order: statements, 'Don't know' answers, evidence, then partners.

    A 'Don't know' answer in a principle with too few answers for a score is covered by that principle's
    evidence gap, so it has no gap of its own.
    """
    gaps: list[Gap] = [_statement_gap(bank, r) for r in scorecard.statement_results() if r.below_target]
    gaps += [
        _unknown_statement_gap(r)
        for p in scorecard.principles
        if not p.insufficient
        for r in p.results
        if r.status == "dont_know"
    ]
    gaps += [gap for p in scorecard.principles if (gap := _evidence_gap(p)) is not None]
    for coverage in scorecard.partners:
        gaps += [gap for level in ("strategic", "operational") if (gap := _partner_gap(coverage, level)) is not None]
    return gaps


# ---- actions ---------------------------------------------------------------------------------------------------


def action_id(rule_id: str, gap_key: str) -> str:
    """The stable id of the action a rule gives for a gap: the same rule and gap always give the same id."""
    return f"{rule_id}@{gap_key}"


def rules_for(rules: ActionRules, gap: Gap) -> list[ActionRule]:
    return rules.for_gap(
        gap.kind, statement_id=gap.statement_id, principle=gap.principle, partner_id=gap.partner_id, level=gap.level
    )


def action_cost(examples: tuple[PracticeExample, ...]) -> Cost:
    """The least a source states about the cost of the cited examples ('not stated' when none is cited)."""
    if not examples:
        return "not stated"
    return min((e.cost for e in examples), key=COST_ORDER.index)


@functools.lru_cache(maxsize=512)
def short_statement(statement: Statement) -> str:
    """A statement's opening words, for a title: brackets left out, up to the first comma that leaves 45 characters."""
    text = re.sub(r"\s*\([^)]*\)", "", statement.text.strip()).rstrip(".")
    cuts = [i for i, char in enumerate(text) if char in ",;" and i >= 45]
    short = text[: cuts[0]] if cuts else text
    if len(short) > 110:
        short = short[:107].rsplit(" ", 1)[0]
    return short + ("…" if short != text else "")


@functools.lru_cache(maxsize=512)
def _sentence_list(items: tuple[str, ...]) -> str:
    """'a; b; and c', each item starting in lower case unless it opens with an acronym such as MAPPA."""
    words = [item.strip().rstrip(".") for item in items]
    words = [w if w.split(" ")[0][1:2].isupper() else w[:1].lower() + w[1:] for w in words]
    if len(words) <= 1:
        return "".join(words)
    return "; ".join(words[:-1]) + f"; and {words[-1]}"


def _fill(text: str, bank: QuestionBank, gap: Gap) -> str:
    if "{" not in text:
        return text
    partner = bank.partner(gap.partner_id).name if gap.partner_id else "the partner"
    principle = (
        f"principle {gap.principle} ({bank.principles[gap.principle - 1].name})" if gap.principle else "the principle"
    )
    statement = bank.statement(gap.statement_id) if gap.statement_id and bank.has_statement(gap.statement_id) else None
    values = {
        "{partner}": lambda: partner,
        "{level}": lambda: gap.level or "each",
        "{where}": lambda: LEVEL_WHERE.get(gap.level or "", "at each level"),
        "{principle}": lambda: principle,
        "{statement}": lambda: short_statement(statement) if statement else "this statement",
        "{evidence}": lambda: _sentence_list(statement.evidence) if statement else "the evidence listed under it",
    }
    for placeholder, value in values.items():
        if placeholder in text:
            text = text.replace(placeholder, value())
    return text


def _partners_of(bank: QuestionBank, rule: ActionRule, gap: Gap, examples, factors) -> tuple[str, ...]:
    if gap.partner_id:
        return (gap.partner_id,)
    wanted = set(rule.concerns) or {p for item in (*examples, *factors) for p in item.partners}
    return tuple(p.id for p in bank.partners.partners if p.id in wanted)


def _action(
    bank: QuestionBank, library: PracticeLibrary, rule: ActionRule, gap: Gap, *, state: ActionState = "open"
) -> Action:
    examples = tuple(library.example(i) for i in rule.examples)
    factors = tuple(library.enabling_factor(i) for i in rule.factors)
    national = library.national_figure(gap.partner_id) if gap.partner_id else None
    return Action(
        id=action_id(rule.id, gap.key),
        state=state,
        title=_fill(rule.title, bank, gap),
        what=_fill(rule.what, bank, gap),
        lead=_fill(rule.lead, bank, gap),
        timescale=rule.timescale,
        cost=action_cost(examples),
        principle=gap.principle,
        partners=_partners_of(bank, rule, gap, examples, factors),
        gap=gap,
        rule_id=rule.id,
        examples=examples,
        factors=factors,
        evidence=tuple(library.evidence_figure(i) for i in rule.evidence),
        national=national,
        sources=rule.sources,
        priority=gap.points,
    )


def _union(first: tuple, second: tuple) -> tuple:
    return first + tuple(item for item in second if item not in first)


def _absorb(bank: QuestionBank, host: Action, other: Action) -> Action:
    """``host`` answers ``other``'s gap too, with its examples, factors, evidence and sources; its own words stay."""
    examples = _union(host.examples, other.examples)
    partners = set(host.partners) | set(other.partners)
    also = host.also + tuple(g for g in other.gaps if g.key not in host.gap_keys)
    return replace(
        host,
        also=also,
        absorbed=(*host.absorbed, other.id),
        examples=examples,
        factors=_union(host.factors, other.factors),
        evidence=_union(host.evidence, other.evidence),
        sources=_union(host.sources, other.sources),
        cost=action_cost(examples),
        principle=host.principle if host.principle is not None else other.principle,
        # The host's own partner first: it is the one the action is about.
        partners=host.partners + tuple(p.id for p in bank.partners.partners if p.id in partners - set(host.partners)),
        priority=max(host.priority, other.priority),
    )


def _merge_overlaps(
    bank: QuestionBank, rules: ActionRules, actions: list[Action], records: dict[str, ActionEdit]
) -> list[Action]:
    """Fold each action into the first action (in plan order) whose rule absorbs its rule, or, where one rule
    answers several gaps in the same words (the housing rules answer for both housing and the council), into the
    first action of that rule with the same title. So no two actions in a plan share a title.

    An action the board has recorded work against is never folded in: its record stays where the board put it.
    """
    by_id = {a.id: a for a in actions}
    folded: set[str] = set()
    for index, action in enumerate(actions):
        if action.id in records:
            continue
        hosts = rules.absorbers(action.rule_id) if action.rule_id else ()
        host = next((a for a in actions if a.rule_id in hosts), None)
        if host is None:  # the same rule, in the same words, earlier in the plan
            host = next((a for a in actions[:index] if a.rule_id == action.rule_id and a.title == action.title), None)
        if host is not None and host.id not in folded:
            by_id[host.id] = _absorb(bank, by_id[host.id], action)
            folded.add(action.id)
    return [by_id[a.id] for a in actions if a.id not in folded]


CLOSED_GAP = "This gap is now closed: this year's answers no longer show it."
AWAITING_GAP = (
    "Not yet re-assessed: carried forward from last year, and this year's answers do not yet say whether the gap "
    "is still there."
)


def _closed_gap(bank: QuestionBank, gap_key: str, closed: str = CLOSED_GAP) -> Gap | None:
    """Rebuild, from an action id's gap key, a gap that is no longer open (for grouping and wording)."""
    kind, _, rest = gap_key.partition(":")
    if kind in ("statement", "dont-know") and bank.has_statement(rest):
        principle = bank.principle_of(rest)
        kind_name: GapKind = "statement" if kind == "statement" else "statement_unknown"
        return Gap(gap_key, kind_name, closed, 0, "", principle=principle.number, statement_id=rest)
    if kind == "evidence" and rest[1:].isdigit():
        return Gap(gap_key, "evidence", closed, 0, "", principle=int(rest[1:]))
    partner_id, _, level = rest.partition(":")
    if kind in ("partner", "unknown") and partner_id in {p.id for p in bank.partners.partners}:
        kind_name = "partner" if kind == "partner" else "partner_unknown"
        return Gap(gap_key, kind_name, closed, 0, "", partner_id=partner_id, level=level)
    return None


def _reassessed(bank: QuestionBank, assessment: Assessment, gap: Gap) -> bool:
    """Whether this year's answers say anything about a gap: a gap is closed only once it has been answered again.

    A statement is re-assessed when it has a level or a reasoned 'Not applicable'; a partner at a level when one of
    that level's questions has a Yes, Partly or No. A principle's evidence gap that no longer shows has a score, so
    it has been answered again.
    """
    if gap.statement_id is not None:
        answer = assessment.answer(gap.statement_id)
        return answer.level is not None or (answer.choice == "not_applicable" and bool(answer.na_reason.strip()))
    if gap.partner_id is not None:
        return any(
            assessment.partner_answer(gap.partner_id, indicator.id) in partner_scores(bank)
            for indicator in bank.partners.indicators
            if indicator.level == gap.level
        )
    return True


def _own_action(bank: QuestionBank, edit: ActionEdit) -> Action:
    partner_ids = {p.id for p in bank.partners.partners}
    return Action(
        id=edit.action_id,
        state="own",
        title=edit.what.split("\n")[0][:120] or "The board's own action",
        what=edit.what,
        lead=edit.lead,
        timescale="",
        cost="not stated",
        principle=edit.principle,
        partners=(edit.partner_id,) if edit.partner_id in partner_ids else (),
        rank_reason="Added by the board, so not ranked.",
        edit=edit,
    )


def build_plan(
    bank: QuestionBank,
    library: PracticeLibrary,
    assessment: Assessment,
    scorecard: Scorecard,
    *,
    rules: ActionRules | None = None,
) -> ActionPlan:
    """The action plan for an assessment's scorecard, merged with the board's records.

    ``rules`` defaults to the matching rules in ``benchmarks/data/action_rules.toml``.
    """
    rules = rules if rules is not None else get_action_rules()
    gaps = find_gaps(bank, scorecard)
    generated = [_action(bank, library, rule, gap) for gap in gaps for rule in rules_for(rules, gap)]
    generated.sort(key=lambda a: (-a.priority, a.id))
    generated = _merge_overlaps(bank, rules, generated, assessment.plan)
    generated.sort(key=lambda a: (-a.priority, a.id))
    ranked = tuple(_ranked(a, rank, generated, assessment.plan.get(a.id)) for rank, a in enumerate(generated, start=1))
    open_ids = {a.id for a in ranked}

    closed: list[Action] = []
    awaiting: list[Action] = []
    own: list[Action] = []
    for edit in sorted(assessment.plan.values(), key=lambda e: e.action_id):
        if edit.own and edit.action_id not in open_ids:
            own.append(_own_action(bank, edit))
            continue
        if edit.action_id in open_ids:
            continue
        rule_id, _, gap_key = edit.action_id.partition("@")
        gap = _closed_gap(bank, gap_key)
        if gap is not None and rules.has_rule(rule_id) and not _reassessed(bank, assessment, gap):
            gap = replace(gap, description=AWAITING_GAP)
            action = _action(bank, library, rules.rule(rule_id), gap, state="awaiting")
            awaiting.append(
                replace(
                    action,
                    edit=edit,
                    rank_reason="Not ranked: not yet re-assessed. Answer this year's question to see whether the gap "
                    "is still there.",
                )
            )
            continue
        if gap is not None and rules.has_rule(rule_id):
            action = _action(bank, library, rules.rule(rule_id), gap, state="closed")
        else:
            action = Action(
                id=edit.action_id,
                state="closed",
                title="An earlier suggested action that no longer applies",
                what=edit.notes or "The plan no longer suggests this action; the board's record of it is kept.",
                lead=edit.lead,
                timescale="",
                cost="not stated",
                principle=gap.principle if gap else None,
                partners=(gap.partner_id,) if gap and gap.partner_id else (),
                gap=gap,
            )
        closed.append(
            replace(
                action,
                edit=edit,
                rank_reason="Not ranked: the gap it answered is now closed, but the board's record of it is kept.",
            )
        )

    by_gap: dict[str, list[Action]] = {}
    for action in ranked:
        for key in action.gap_keys:
            by_gap.setdefault(key, []).append(action)
    return ActionPlan(
        gaps=tuple(sorted(gaps, key=lambda g: (-g.points, g.key))),
        actions=ranked,
        closed=tuple(closed),
        own=tuple(own),
        awaiting=tuple(awaiting),
        _by_gap={key: tuple(actions) for key, actions in by_gap.items()},
    )


def _ranked(action: Action, rank: int, ordered: list[Action], edit: ActionEdit | None) -> Action:
    """The action with its rank, a plain sentence saying why, and the arithmetic behind it."""
    if action.gap is None:
        return replace(action, rank=rank, edit=edit)
    # The biggest gap the action answers sets its points, so it is the one the sentence explains.
    lead = max(action.gaps, key=lambda g: g.points)
    reason = f"Ranked {rank} of {len(ordered)}: {lead.why}."
    if action.also:
        reason += f" This action answers {len(action.gaps)} gaps, listed above."
    working = f"Points: {lead.reason}."
    if action.also:
        working += " An action that answers several gaps takes the points of the biggest."
    level = [n for n, other in enumerate(ordered, start=1) if other.priority == action.priority]
    if len(level) > 1:
        working += (
            f" Actions {level[0]} to {level[-1]} all have {action.priority:g} points; actions with equal points are "
            "always listed in the same order."
        )
    return replace(action, rank=rank, rank_reason=reason, rank_working=working, edit=edit)


# ---- next year ---------------------------------------------------------------------------------------------------


def carry_forward(previous: Assessment) -> dict[str, ActionEdit]:
    """The records of last year's plan that a new year's assessment starts with: the work not yet finished.

    Done and dropped actions stay with last year's assessment, where the new year's plan shows them.
    """
    return {
        edit.action_id: edit.model_copy()
        for _, edit in sorted(previous.plan.items())
        if edit.status in ("not_started", "in_progress")
    }
