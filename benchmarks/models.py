"""The schema of the benchmark library: national figures, practice examples, enabling factors and evidence.

The library is data (TOML files in ``benchmarks/data/``); these models validate it on load, so a
broken file fails at start-up with a message naming the file and the field. Every item cites a seed
file and a section heading of it through ``questions.models.Source``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from questions.models import PRINCIPLE_COUNT, PRINCIPLE_NUMBERS, Source

Identifier = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=2, max_length=60)
# Partner ids are the question bank's (questions/bank/partners.toml); the loader checks every id here is one of them.
PartnerId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=2, max_length=60)]
Topic = Literal[
    "short-sentence", "mental_health", "alcohol", "housing", "prison", "partnership", "cost", "evaluation", "drugs"
]
DeliveryLevel = Literal["strategic", "operational", "both"]
# What a source states about an example's cost: "neutral" or "low" only where a source says so in words
# about that example; otherwise "not stated". Nothing is inferred: the briefing says many of its examples are
# cost-neutral but never says which, so no example is "neutral" on that ground.
Cost = Literal["neutral", "low", "not stated"]


class UnknownItemError(KeyError):
    """An id that is not in the library (a practice example, evidence figure or enabling factor)."""

    def __init__(self, kind: str, item_id: str) -> None:
        super().__init__(item_id)
        self.kind = kind
        self.item_id = item_id

    def __str__(self) -> str:
        return f"no {self.kind} with id {self.item_id!r} in the benchmark library"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _distinct(kind: str, values: tuple, allow_empty: bool = False) -> tuple:
    if not values and not allow_empty:
        raise ValueError(f"give at least one {kind}")
    if len(set(values)) != len(values):
        raise ValueError(f"a {kind} is listed more than once")
    return values


# Partner lists checked once, where the type is declared, instead of a validator on every model.
Partners = Annotated[tuple[PartnerId, ...], AfterValidator(lambda value: _distinct("partner", value))]
PartnersOrNone = Annotated[
    tuple[PartnerId, ...], AfterValidator(lambda value: _distinct("partner", value, allow_empty=True))
]


class Survey(_Strict):
    """The national survey the partner involvement figures come from."""

    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=5, max_length=200)
    description: str = Field(min_length=10, max_length=600)
    source: Source


class NationalFigure(_Strict):
    """How many IOM arrangements nationally reported involving a partner, or a note that no figure exists."""

    partner_id: PartnerId
    percent: int | None = Field(default=None, ge=0, le=100, description="None where the sources give no figure")
    note: str = Field(min_length=10, max_length=300)
    source: Source


class PracticeExample(_Strict):
    """A case example from the sources: what an area found, what it did, and what happened."""

    id: str = Identifier
    area: str = Field(min_length=2, max_length=80)
    title: str = Field(min_length=5, max_length=120)
    need: str = Field(min_length=10, max_length=600, description="The identified need, in our words")
    solution: str = Field(min_length=10, max_length=800, description="The developed solution, in our words")
    outcome: str = Field(
        default="", max_length=600, description="Outcomes as the sources give them; empty where none is given"
    )
    partners: Partners
    principles: tuple[int, ...]
    level: DeliveryLevel
    cost: Cost = Field(description="What a source states about the cost; 'not stated' unless a source says")
    cost_note: str = Field(min_length=10, max_length=300, description="Only what the sources say about cost")
    sources: tuple[Source, ...] = Field(min_length=1)

    @field_validator("principles")
    @classmethod
    def _principles(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for number in value:
            if number not in PRINCIPLE_NUMBERS:
                raise ValueError(f"principle numbers run from 1 to {PRINCIPLE_COUNT}, not {number}")
        return _distinct("principle", value)


class EnablingFactor(_Strict):
    """One of the six factors that help probation clients reach mental health services."""

    id: str = Identifier
    text: str = Field(min_length=10, max_length=300)
    partners: Partners
    level: Literal["strategic", "operational"]
    source: Source


class EvidenceFigure(_Strict):
    """A figure a board can quote, with the statement it supports and where it comes from.

    ``partners`` are those whose involvement the figure makes the case for; empty means the partnership as a whole.
    """

    id: str = Identifier
    statement: str = Field(min_length=10, max_length=400)
    figure: str = Field(min_length=1, max_length=60, description="The figure exactly as the source gives it")
    year: str = Field(
        min_length=4,
        max_length=60,
        description="When the data behind the figure comes from, as the source gives it (the statement says it too)",
    )
    topics: tuple[Topic, ...]
    partners: PartnersOrNone = ()
    source: Source

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _distinct("topic", value)


class PracticeLibrary(_Strict):
    """Everything in ``benchmarks/data/``, with lookups by id, by partner and by principle."""

    survey: Survey
    national_figures: tuple[NationalFigure, ...]
    examples: tuple[PracticeExample, ...]
    enabling_factors: tuple[EnablingFactor, ...]
    evidence: tuple[EvidenceFigure, ...]

    _by_id: dict[str, dict[str, BaseModel]] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> PracticeLibrary:
        partners = [figure.partner_id for figure in self.national_figures]
        repeated = sorted({p for p in partners if partners.count(p) > 1})
        if repeated:
            raise ValueError(f"national figures must list a partner once at most; repeated {', '.join(repeated)}")
        for kind, items in (
            ("practice example", self.examples),
            ("enabling factor", self.enabling_factors),
            ("evidence figure", self.evidence),
        ):
            ids = [item.id for item in items]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{kind} id {repeated[0]!r} is used more than once")
        return self

    # Lookups. The library is immutable, so the indexes are built once.
    def _index(self, kind: str) -> dict[str, BaseModel]:
        private = self.__pydantic_private__  # read directly: pydantic's __getattr__ is slow in hot loops
        if private.get("_by_id") is None:
            private["_by_id"] = {
                "practice example": {e.id: e for e in self.examples},
                "enabling factor": {f.id: f for f in self.enabling_factors},
                "evidence figure": {f.id: f for f in self.evidence},
                "national figure": {f.partner_id: f for f in self.national_figures},
            }
        return private["_by_id"][kind]

    def national_figure(self, partner_id: str) -> NationalFigure | None:
        """The national figure for a partner, or None when the library has none for it (a partner added later)."""
        return self._index("national figure").get(partner_id)  # type: ignore[return-value]

    def example(self, example_id: str) -> PracticeExample:
        try:
            return self._index("practice example")[example_id]  # type: ignore[return-value]
        except KeyError:
            raise UnknownItemError("practice example", example_id) from None

    def evidence_figure(self, figure_id: str) -> EvidenceFigure:
        try:
            return self._index("evidence figure")[figure_id]  # type: ignore[return-value]
        except KeyError:
            raise UnknownItemError("evidence figure", figure_id) from None

    def enabling_factor(self, factor_id: str) -> EnablingFactor:
        try:
            return self._index("enabling factor")[factor_id]  # type: ignore[return-value]
        except KeyError:
            raise UnknownItemError("enabling factor", factor_id) from None


# ---- The gap action plan's matching rules (``action_rules.toml``) -------------------------------------------------

GapKind = Literal["statement", "statement_unknown", "partner", "partner_unknown", "evidence"]
PartnerLevel = Literal["strategic", "operational"]
Timescale = Literal["3 months", "6 months", "12 months"]


class ActionRule(_Strict):
    """Which gap an action answers, and the action: what to do, who leads, by when, and the sources behind it.

    A rule answers a gap when the gap's kind is ``gap`` and its statement, principle, partner and level are among
    those the rule lists (an empty list places no limit). A ``fallback`` rule answers only gaps no other rule does.
    ``absorbs`` names rules whose action says much the same: when both are in a plan, this rule's action takes in
    the other's gap (and its examples and sources), so the board sees one action, not two.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=2, max_length=40)
    gap: GapKind
    statements: tuple[str, ...] = ()
    principles: tuple[int, ...] = ()
    partners: tuple[PartnerId, ...] = ()
    levels: tuple[PartnerLevel, ...] = ()
    fallback: bool = False
    title: str = Field(min_length=10, max_length=120)
    what: str = Field(min_length=40, max_length=1200, description="Practitioner wording, in our own words")
    lead: str = Field(min_length=3, max_length=120)
    timescale: Timescale
    examples: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    evidence: tuple[str, ...] = Field(min_length=1, description="Evidence figure ids: why the action matters")
    concerns: tuple[PartnerId, ...] = ()
    absorbs: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @field_validator("what", "title")
    @classmethod
    def _one_paragraph(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("principles")
    @classmethod
    def _principle_numbers(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for number in value:
            if number not in PRINCIPLE_NUMBERS:
                raise ValueError(f"principle numbers run from 1 to {PRINCIPLE_COUNT}, not {number}")
        return _distinct("principle", value, allow_empty=True)

    @model_validator(mode="after")
    def _says_which_gap(self) -> ActionRule:
        for name in ("statements", "partners", "levels", "examples", "factors", "evidence", "concerns", "absorbs"):
            _distinct(name.rstrip("s"), getattr(self, name), allow_empty=True)
        # What each kind of gap must name, and must not.
        needs: dict[str, tuple[str, ...]] = {
            "statement": ("principles",) if self.fallback else ("statements",),
            "statement_unknown": ("principles",) if self.fallback else ("statements",),
            "partner": ("levels",) if self.fallback else ("partners", "levels"),
            "partner_unknown": ("levels",),
            "evidence": ("principles",),
        }
        allowed: dict[str, set[str]] = {
            "statement": {"principles"} if self.fallback else {"statements"},
            "statement_unknown": {"principles"} if self.fallback else {"statements"},
            "partner": {"partners", "levels"},
            "partner_unknown": {"partners", "levels"},
            "evidence": {"principles"},
        }
        for name in needs[self.gap]:
            if not getattr(self, name):
                raise ValueError(f"a rule for a {self.gap} gap must list its {name}")
        for name in ("statements", "principles", "partners", "levels"):
            if getattr(self, name) and name not in allowed[self.gap]:
                raise ValueError(f"a rule for a {self.gap} gap does not match on {name}; remove them")
        if self.gap == "partner" and self.fallback and self.partners:
            raise ValueError("a fallback rule for a partner gap answers any partner; remove its partners")
        if self.id in self.absorbs:
            raise ValueError("a rule cannot absorb itself")
        return self

    def answers(
        self,
        gap: str,
        *,
        statement_id: str | None = None,
        principle: int | None = None,
        partner_id: str | None = None,
        level: str | None = None,
    ) -> bool:
        """Whether this rule answers a gap with these properties; matching is set membership, nothing else."""
        wanted = (
            (self.statements, statement_id),
            (self.principles, principle),
            (self.partners, partner_id),
            (self.levels, level),
        )
        return gap == self.gap and all(not listed or value in listed for listed, value in wanted)


class ActionRules(_Strict):
    """Every matching rule, with the lookup the plan uses."""

    rules: tuple[ActionRule, ...] = Field(min_length=1)

    _by_id: dict[str, ActionRule] | None = PrivateAttr(default=None)
    # The rules never change, so the answer for each kind of gap is worked out once.
    _answers: dict[tuple, tuple[ActionRule, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> ActionRules:
        ids = [rule.id for rule in self.rules]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"action rule id {repeated[0]!r} is used more than once")
        # One level of absorbing only: a rule that takes in others is never itself taken in, so the result is plain.
        absorbing = {rule.id for rule in self.rules if rule.absorbs}
        for rule in self.rules:
            for other in rule.absorbs:
                if other not in ids:
                    raise ValueError(f"action rule {rule.id!r} absorbs {other!r}, which is not a rule")
                if other in absorbing:
                    raise ValueError(f"action rule {rule.id!r} absorbs {other!r}, which absorbs others itself")
        return self

    def absorbers(self, rule_id: str) -> tuple[str, ...]:
        """The ids of the rules that absorb this one, in file order."""
        return tuple(rule.id for rule in self.rules if rule_id in rule.absorbs)

    def rule(self, rule_id: str) -> ActionRule:
        if self._by_id is None:
            self._by_id = {rule.id: rule for rule in self.rules}
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise UnknownItemError("action rule", rule_id) from None

    def has_rule(self, rule_id: str) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def for_gap(
        self,
        gap: str,
        *,
        statement_id: str | None = None,
        principle: int | None = None,
        partner_id: str | None = None,
        level: str | None = None,
    ) -> list[ActionRule]:
        """The rules that answer a gap: the specific ones, or the fallbacks when no specific rule does."""
        wanted = (gap, statement_id, principle, partner_id, level)
        found = self._answers.get(wanted)
        if found is None:
            found = self._answers[wanted] = tuple(self._match(*wanted))
        return list(found)

    def _match(
        self, gap: str, statement_id: str | None, principle: int | None, partner_id: str | None, level: str | None
    ) -> list[ActionRule]:
        matching = [
            rule
            for rule in self.rules
            if rule.answers(gap, statement_id=statement_id, principle=principle, partner_id=partner_id, level=level)
        ]
        specific = [rule for rule in matching if not rule.fallback]
        return specific or [rule for rule in matching if rule.fallback]
