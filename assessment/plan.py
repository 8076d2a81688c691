"""The gap action plan: pure functions from a scorecard to a ranked, explainable list of actions.

Gaps are found in the scorecard: a statement below its principle's target, a partner not involved at
strategic or operational level (or whose involvement nobody knows), and a principle with too few answers for
a score. Each gap is answered by the matching rules in ``benchmarks/data/action_rules.toml``; the code only
looks the rules up, so which action answers which gap is data, with its sources.

Priority (``PRIORITY_METHOD`` is the text the app shows, and ``_statement_gap`` and its neighbours do exactly
what it says): a statement gap scores (target - level) x weight x 10; a partner not involved at a level scores
10 + 20 x the share of that level still missing; a partner whose involvement is unknown scores 15; both are
doubled for the partners the question bank marks as priority (those the briefing names as under-developed in
many areas); a principle with insufficient evidence scores 20 + 10 for each further statement it needs.
Actions are listed by points, highest first, ties broken by action id, so the same answers give the same plan.

The board's records (``ActionEdit``) are merged in: an action whose gap has closed but which the board has
recorded something against stays listed as "gap now closed", so no work is lost; the board's own actions are
listed beside the generated ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

from assessment.model import ActionEdit, Assessment
from assessment.scoring import PartnerCoverage, PrincipleScore, Scorecard, StatementResult
from benchmarks.loader import get_action_rules
from benchmarks.models import (
    ActionRule,
    ActionRules,
    CostNeutral,
    EnablingFactor,
    EvidenceFigure,
    NationalFigure,
    PracticeExample,
    PracticeLibrary,
)
from questions.models import QuestionBank, Source

GapKind = Literal["statement", "partner", "partner_unknown", "evidence"]
ActionState = Literal["open", "closed", "own"]

STATEMENT_POINTS = 10
PARTNER_BASE_POINTS = 10
PARTNER_SHORTFALL_POINTS = 20
UNKNOWN_PARTNER_POINTS = 15
PRIORITY_PARTNER_FACTOR = 2
EVIDENCE_BASE_POINTS = 20
EVIDENCE_PER_STATEMENT_POINTS = 10
INVOLVED_AT = 50.0

PRIORITY_METHOD = (
    "Each suggested action takes the points of the gap it answers. The plan lists actions from the most points "
    "to the fewest; actions with equal points are listed in order of their reference, so the same answers "
    "always give the same plan.",
    "A statement below its principle's target scores (target − level) × the statement's weight × 10. For "
    "example, level 1 against a target of 3 on a statement of weight 2 scores 2 × 2 × 10 = 40 points.",
    "A partner not involved at strategic or operational level (coverage below 50%) scores 10 + 20 × the share "
    "of that level still missing: 30 points at 0% coverage, 22 at 40%.",
    "A partner whose involvement at a level nobody knows ('Don't know' or no answer) scores 15 points: the "
    "first step is to find out.",
    "Partner points are doubled for {priority_partners}: the partners the Revolving Doors briefing names as "
    "under-developed in many IOM areas (001_8e1431ee41747c83.txt, 'Bringing the right partners to the table').",
    "A principle with too few answers for a score scores 20 points, plus 10 for each further statement that "
    "needs a level before the principle can be scored.",
    "Actions the board adds itself are not ranked. They are listed with the principle or partner they concern.",
)

COST_NEUTRAL_ORDER: tuple[CostNeutral, ...] = ("not stated", "likely", "yes")
COST_NEUTRAL_TEXT: dict[str, str] = {
    "yes": "Cost-neutral, according to the sources",
    "likely": "Likely to be cost-neutral",
    "not stated": "Cost not stated in the sources",
}


def priority_method(bank: QuestionBank) -> tuple[str, ...]:
    """``PRIORITY_METHOD`` with the bank's priority partners named."""
    names = [p.name.split(" (")[0] for p in bank.partners.partners if p.priority]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    return tuple(step.format(priority_partners=listed or "no partner") for step in PRIORITY_METHOD)


@dataclass(frozen=True)
class Gap:
    """One gap in the scorecard, with its points and how they were worked out."""

    key: str
    kind: GapKind
    description: str
    points: float
    reason: str
    principle: int | None = None
    statement_id: str | None = None
    partner_id: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Action:
    """One action of the plan: generated from a rule for a gap, or added by the board."""

    id: str
    state: ActionState
    title: str
    what: str
    lead: str
    timescale: str
    cost_neutral: CostNeutral
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
    edit: ActionEdit | None = None

    @property
    def status(self) -> str:
        return self.edit.status if self.edit else "not_started"

    @property
    def quick_win(self) -> bool:
        return self.cost_neutral in ("yes", "likely")

    @property
    def gap_key(self) -> str | None:
        return self.gap.key if self.gap else None

    @property
    def partner_id(self) -> str | None:
        return self.partners[0] if self.partners else None


@dataclass(frozen=True)
class ActionPlan:
    """The whole plan: the gaps, the ranked actions, those whose gap has closed, and the board's own."""

    gaps: tuple[Gap, ...]
    actions: tuple[Action, ...]
    closed: tuple[Action, ...] = ()
    own: tuple[Action, ...] = ()
    _by_gap: dict[str, tuple[Action, ...]] = field(default_factory=dict, repr=False, compare=False)

    def all(self) -> tuple[Action, ...]:
        """Every action: ranked ones first, then those whose gap has closed, then the board's own."""
        return self.actions + self.closed + self.own

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
            if (principle is None or a.principle == principle)
            and (partner_id is None or partner_id in a.partners)
            and (lead is None or a.lead == lead)
            and (not quick_wins or a.quick_win)
            and (gap_key is None or a.gap_key == gap_key)
        ]


# ---- gaps ------------------------------------------------------------------------------------------------------


def _statement_gap(bank: QuestionBank, result: StatementResult) -> Gap:
    size = result.target - result.level
    points = size * result.weight * STATEMENT_POINTS
    principle = result.principle
    return Gap(
        key=f"statement:{result.statement.id}",
        kind="statement",
        description=(
            f"Principle {principle.number}: “{result.statement.text}” is at level {result.level} "
            f"({bank.level_label(result.level)}), below the target of {result.target} "
            f"({bank.level_label(result.target)})."
        ),
        points=points,
        reason=(
            f"the statement is {size} level{'s' if size != 1 else ''} below its target (level {result.level} "
            f"against {result.target}) and has weight {result.weight:g}: {size} × {result.weight:g} × "
            f"{STATEMENT_POINTS} = {points:g} points"
        ),
        principle=principle.number,
        statement_id=result.statement.id,
    )


def _partner_gap(coverage: PartnerCoverage, level: str) -> Gap | None:
    partner = coverage.partner
    value = coverage.coverage(level)  # type: ignore[arg-type]
    factor = PRIORITY_PARTNER_FACTOR if partner.priority else 1
    doubled = ", doubled to {points:g} because the briefing names this partner as under-developed in many areas"
    if value is None:
        points = UNKNOWN_PARTNER_POINTS * factor
        return Gap(
            key=f"unknown:{partner.id}:{level}",
            kind="partner_unknown",
            description=(
                f"{partner.name}: involvement at {level} level is not known. Every answer about it is "
                "'Don't know' or not given."
            ),
            points=points,
            reason=(
                f"{partner.name}'s involvement at {level} level is not known: {UNKNOWN_PARTNER_POINTS} points"
                + (doubled.format(points=points) if factor != 1 else "")
            ),
            partner_id=partner.id,
            level=level,
        )
    if value >= INVOLVED_AT:
        return None
    missing = 1 - value / 100
    base = PARTNER_BASE_POINTS + PARTNER_SHORTFALL_POINTS * missing
    points = round(base * factor, 1)
    return Gap(
        key=f"partner:{partner.id}:{level}",
        kind="partner",
        description=(
            f"{partner.name}: not involved at {level} level. Coverage there is {value:.0f}%, and involved means "
            f"{INVOLVED_AT:.0f}% or more."
        ),
        points=points,
        reason=(
            f"{partner.name} has {value:.0f}% coverage at {level} level: {PARTNER_BASE_POINTS} + "
            f"{PARTNER_SHORTFALL_POINTS} × {missing:.2f} = {base:g} points"
            + (doubled.format(points=points) if factor != 1 else "")
        ),
        partner_id=partner.id,
        level=level,
    )


def _evidence_gap(principle_score: PrincipleScore) -> Gap | None:
    applicable, scored = principle_score.applicable, principle_score.scored
    if not principle_score.insufficient or applicable == 0:
        return None
    needed = math.ceil(applicable / 2)
    missing = max(needed - scored, 1)
    points = EVIDENCE_BASE_POINTS + EVIDENCE_PER_STATEMENT_POINTS * missing
    number = principle_score.principle.number
    return Gap(
        key=f"evidence:p{number}",
        kind="evidence",
        description=(
            f"Principle {number} has too little evidence for a score: {scored} of {applicable} applicable "
            f"statements have a level, and at least {needed} are needed."
        ),
        points=points,
        reason=(
            f"principle {number} needs {missing} more statement{'s' if missing != 1 else ''} with a level before "
            f"it can be scored: {EVIDENCE_BASE_POINTS} + {EVIDENCE_PER_STATEMENT_POINTS} × {missing} = "
            f"{points:g} points"
        ),
        principle=number,
    )


def find_gaps(bank: QuestionBank, scorecard: Scorecard) -> list[Gap]:
    """Every gap in a scorecard, in the bank's order (statements, then evidence, then partners)."""
    gaps: list[Gap] = [_statement_gap(bank, r) for r in scorecard.statement_results() if r.below_target]
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


def cost_neutral(examples: tuple[PracticeExample, ...]) -> CostNeutral:
    """The least cost-neutral of the cited examples ('not stated' when none is cited): never claim more."""
    if not examples:
        return "not stated"
    return min((e.cost_neutral for e in examples), key=COST_NEUTRAL_ORDER.index)


def _fill(text: str, bank: QuestionBank, gap: Gap) -> str:
    partner = bank.partner(gap.partner_id).name if gap.partner_id else "the partner"
    principle = (
        f"principle {gap.principle} ({bank.principles[gap.principle - 1].name})" if gap.principle else "the principle"
    )
    return text.replace("{partner}", partner).replace("{level}", gap.level or "each").replace("{principle}", principle)


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
    national = None
    if gap.partner_id and gap.partner_id in {f.partner_id for f in library.national_figures}:
        national = library.national_figure(gap.partner_id)
    return Action(
        id=action_id(rule.id, gap.key),
        state=state,
        title=_fill(rule.title, bank, gap),
        what=_fill(rule.what, bank, gap),
        lead=_fill(rule.lead, bank, gap),
        timescale=rule.timescale,
        cost_neutral=cost_neutral(examples),
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


def _closed_gap(bank: QuestionBank, gap_key: str) -> Gap | None:
    """Rebuild, from an action id's gap key, a gap that is no longer open (for grouping and wording)."""
    kind, _, rest = gap_key.partition(":")
    closed = "This gap is now closed: the latest answers no longer show it."
    if kind == "statement" and bank.has_statement(rest):
        principle = bank.principle_of(rest)
        return Gap(gap_key, "statement", closed, 0, "", principle=principle.number, statement_id=rest)
    if kind == "evidence" and rest[1:].isdigit():
        return Gap(gap_key, "evidence", closed, 0, "", principle=int(rest[1:]))
    partner_id, _, level = rest.partition(":")
    if kind in ("partner", "unknown") and partner_id in {p.id for p in bank.partners.partners}:
        kind_name: GapKind = "partner" if kind == "partner" else "partner_unknown"
        return Gap(gap_key, kind_name, closed, 0, "", partner_id=partner_id, level=level)
    return None


def _own_action(bank: QuestionBank, edit: ActionEdit) -> Action:
    partner_ids = {p.id for p in bank.partners.partners}
    return Action(
        id=edit.action_id,
        state="own",
        title=edit.what.split("\n")[0][:120] or "The board's own action",
        what=edit.what,
        lead=edit.lead,
        timescale="",
        cost_neutral="not stated",
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
    total = len(generated)
    ranked = tuple(_ranked(a, rank, total, assessment.plan.get(a.id)) for rank, a in enumerate(generated, start=1))
    open_ids = {a.id for a in ranked}

    closed: list[Action] = []
    own: list[Action] = []
    for edit in sorted(assessment.plan.values(), key=lambda e: e.action_id):
        if edit.own:
            own.append(_own_action(bank, edit))
            continue
        if edit.action_id in open_ids:
            continue
        rule_id, _, gap_key = edit.action_id.partition("@")
        gap = _closed_gap(bank, gap_key)
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
                cost_neutral="not stated",
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
        by_gap.setdefault(action.gap_key or "", []).append(action)
    return ActionPlan(
        gaps=tuple(sorted(gaps, key=lambda g: (-g.points, g.key))),
        actions=ranked,
        closed=tuple(closed),
        own=tuple(own),
        _by_gap={key: tuple(actions) for key, actions in by_gap.items()},
    )


def _ranked(action: Action, rank: int, total: int, edit: ActionEdit | None) -> Action:
    reason = f"Ranked {rank} of {total} because {action.gap.reason}." if action.gap else ""
    return replace(action, rank=rank, rank_reason=reason[:1].upper() + reason[1:], edit=edit)


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
