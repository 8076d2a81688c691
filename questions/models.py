"""The schema of the question bank: what a principle, a statement and a partner look like.

The bank is data (TOML files in ``questions/bank/``); these models validate it on load, so a
broken bank fails at start-up with a message naming the file and the field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

SEED_FILES = (
    "000_5473f163b0b72e9c.txt",
    "001_8e1431ee41747c83.txt",
    "002_58e7e1b3ce4aabbc.txt",
    "003_05e4acfc6c020f2c.txt",
    "004_783ecd3437bc4925.txt",
)

# The titles readers see; the file names stay in the data so every citation can be traced.
SEED_TITLES = {
    "000_5473f163b0b72e9c.txt": "Revolving Doors Agency, summary of the IOM briefing (2012)",
    "001_8e1431ee41747c83.txt": "Revolving Doors Agency, IOM: Effective Alternatives to Short Sentences (2012)",
    "002_58e7e1b3ce4aabbc.txt": "Home Office and Ministry of Justice, IOM Key Principles (2015), summarised",
    "003_05e4acfc6c020f2c.txt": "Integrated Offender Management: What is it?",
    "004_783ecd3437bc4925.txt": "Key elements of IOM",
}

# The IOM Key Principles (2015) number six; everything that counts principles reads these.
PRINCIPLE_COUNT = 6
PRINCIPLE_NUMBERS = tuple(range(1, PRINCIPLE_COUNT + 1))

Identifier = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=2, max_length=60)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a question or figure comes from: a seed document and a section of it."""

    file: str = Field(description="The seed file name in shared/seeds/, or 'local' for a local question")
    section: str = Field(min_length=2, max_length=200)

    @field_validator("file")
    @classmethod
    def _known_file(cls, value: str) -> str:
        if value not in SEED_FILES and value != "local":
            raise ValueError(f"must be one of the seed files {', '.join(SEED_FILES)} (or 'local'), not {value!r}")
        return value

    def cite(self) -> str:
        """The citation as a reader sees it: the document's title and the section."""
        if self.file == "local":
            return f"Local question ({self.section})"
        return f"{SEED_TITLES[self.file]}, ‘{self.section.strip()}’"

    def reference(self) -> str:
        """The full citation, with the source file's name, for reports and inspectors."""
        if self.file == "local":
            return self.cite()
        return f"{self.cite()} [{self.file}]"


class Level(_Strict):
    """One of the five maturity levels every statement is rated on."""

    number: int = Field(ge=0, le=4)
    label: str = Field(min_length=2, max_length=40)
    meaning: str = Field(min_length=5, max_length=300)


class AnswerOption(_Strict):
    """A partner-coverage answer (Yes / Partly / No / Don't know) and its score."""

    id: Literal["yes", "partly", "no", "dont_know"]
    label: str
    score: float | None = Field(default=None, ge=0, le=1)


class Statement(_Strict):
    """A statement about observable practice, rated 0 to 4."""

    id: str = Identifier
    text: str = Field(min_length=10, max_length=400)
    levels: tuple[str, str, str, str, str] = Field(
        description="What each level 0 (Not in place) to 4 (Embedded) looks like in practice"
    )
    evidence: tuple[str, ...] = Field(min_length=1, description="What would show the level is right")
    sources: tuple[Source, ...] = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=5)
    local: bool = False

    @field_validator("levels")
    @classmethod
    def _levels_described(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for number, text in enumerate(value):
            if len(text.strip()) < 10:
                raise ValueError(f"level {number} needs a description of what it looks like in practice")
        return value


class Principle(_Strict):
    """One of the six 2015 IOM Key Principles, and its statements."""

    number: int = Field(ge=1, le=PRINCIPLE_COUNT)
    name: str = Field(min_length=5, max_length=120)
    summary: str = Field(min_length=10, max_length=800)
    source: Source
    statements: tuple[Statement, ...] = Field(min_length=1)

    @property
    def id(self) -> str:
        return f"p{self.number}"


class Partner(_Strict):
    """A partner agency whose involvement the board rates."""

    id: str = Identifier
    name: str = Field(min_length=2, max_length=80)
    examples: str = Field(default="", max_length=300, description="Who this covers, in plain words")
    source: Source
    priority: bool = Field(
        default=False,
        description="One of the partners the briefing singles out as under-developed in many areas",
    )


class Indicator(_Strict):
    """A sign that a partner is involved, at strategic or operational level."""

    id: str = Identifier
    level: Literal["strategic", "operational"]
    text: str = Field(min_length=5, max_length=200)
    short: str = Field(min_length=3, max_length=26, description="A column heading for the partner grid")
    help: str = Field(default="", max_length=400)
    source: Source


class PartnerSection(_Strict):
    """The partner coverage grid: every partner is asked every indicator."""

    intro: str = Field(min_length=10)
    answers: tuple[AnswerOption, ...]
    partners: tuple[Partner, ...] = Field(min_length=6)
    indicators: tuple[Indicator, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _both_levels(self) -> PartnerSection:
        levels = {indicator.level for indicator in self.indicators}
        if levels != {"strategic", "operational"}:
            raise ValueError("indicators must cover both the strategic and the operational level")
        _unique("partner", [p.id for p in self.partners])
        _unique("indicator", [i.id for i in self.indicators])
        if [a.id for a in self.answers] != ["yes", "partly", "no", "dont_know"]:
            raise ValueError("answers must be yes, partly, no, dont_know in that order")
        return self


class QuestionBank(_Strict):
    """The whole bank: levels, the six principles and the partner grid."""

    version: str = Field(min_length=1, max_length=40)
    title: str
    levels: tuple[Level, Level, Level, Level, Level]
    principles: tuple[Principle, ...]
    partners: PartnerSection
    local_name: str = Field(default="", description="The name of the local questions file, if any")

    _index: dict[str, tuple[Principle, Statement]] | None = PrivateAttr(default=None)
    _partners: dict[str, Partner] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> QuestionBank:
        if tuple(p.number for p in self.principles) != PRINCIPLE_NUMBERS:
            raise ValueError(
                f"the bank must have the {PRINCIPLE_COUNT} principles, numbered 1 to {PRINCIPLE_COUNT} in order"
            )
        if [level.number for level in self.levels] != [0, 1, 2, 3, 4]:
            raise ValueError("levels must be numbered 0 to 4 in order")
        _unique("statement", [s.id for p in self.principles for s in p.statements])
        return self

    # Lookups used everywhere; computed once because the bank is immutable.
    def statement(self, statement_id: str) -> Statement:
        return self._statement_index()[statement_id][1]

    def principle_of(self, statement_id: str) -> Principle:
        return self._statement_index()[statement_id][0]

    def statements(self) -> list[tuple[Principle, Statement]]:
        return list(self._statement_index().values())

    def has_statement(self, statement_id: str) -> bool:
        return statement_id in self._statement_index()

    def partner(self, partner_id: str) -> Partner:
        private = self.__pydantic_private__  # read directly: pydantic's __getattr__ is slow in hot loops
        if private.get("_partners") is None:
            private["_partners"] = {p.id: p for p in self.partners.partners}
        return private["_partners"][partner_id]

    def level_label(self, number: int) -> str:
        return self.levels[number].label

    def _statement_index(self) -> dict[str, tuple[Principle, Statement]]:
        private = self.__pydantic_private__  # read directly: pydantic's __getattr__ is slow in hot loops
        if private.get("_index") is None:
            private["_index"] = {s.id: (p, s) for p in self.principles for s in p.statements}
        return private["_index"]


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{kind} id {item!r} is used more than once")
        seen.add(item)
