"""The migrations between question bank versions, as data: which old statement went where, and why.

Each ``questions/bank/migrations/<from>-to-<to>.toml`` maps every statement id of the older version to the
ids that replace it (none when it was removed), with the reason and which answers need a fresh look. The
older version's ids are kept beside it in ``<from>.toml``, so a migration can be checked to be complete.
This module knows nothing of answers: ``assessment.migration`` applies a migration to an assessment.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from questions.loader import BANK_DIR, BankError, read_toml

MIGRATIONS_DIR = BANK_DIR / "migrations"
_NAME = re.compile(r"^(\d+\.\d+)-to-(\d+\.\d+)\.toml$")

Change = Literal["levels", "reworded", "moved", "split", "removed"]
FreshLook = Literal["yes", "established", "no"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatementChange(_Strict):
    """What became of one statement of the older version."""

    old: str = Field(min_length=2, max_length=60)
    new: tuple[str, ...] = ()
    change: Change
    reason: str = Field(min_length=10, max_length=600)
    fresh_look: FreshLook

    @model_validator(mode="after")
    def _consistent(self) -> StatementChange:
        expected = {"removed": (0, 0), "split": (2, 9)}.get(self.change, (1, 1))
        if not expected[0] <= len(self.new) <= expected[1]:
            raise ValueError(f"a {self.change!r} change of {self.old!r} cannot have {len(self.new)} new id(s)")
        return self

    def needs_fresh_look(self, choice: str | None) -> bool:
        """Whether an answer with this choice needs a fresh look on the newer version."""
        if self.fresh_look == "yes":
            return True
        return self.fresh_look == "established" and choice in ("3", "4")


class Added(_Strict):
    """A statement or partner of the newer version that no older statement maps to."""

    id: str = Field(min_length=2, max_length=60)
    kind: Literal["statement", "partner"]
    reason: str = Field(min_length=10, max_length=600)


class Migration(_Strict):
    """Every change from one bank version to the next."""

    from_version: str = Field(alias="from")
    to_version: str = Field(alias="to")
    statements: tuple[StatementChange, ...] = Field(min_length=1)
    added: tuple[Added, ...] = ()

    @model_validator(mode="after")
    def _each_old_id_once(self) -> Migration:
        olds = [item.old for item in self.statements]
        repeated = sorted({old for old in olds if olds.count(old) > 1})
        if repeated:
            raise ValueError(f"statement {repeated[0]!r} is mapped more than once")
        return self

    def change(self, old_id: str) -> StatementChange | None:
        return next((item for item in self.statements if item.old == old_id), None)


class OldBank(_Strict):
    """What the app keeps of an older bank version: its statement ids and wording, partner and indicator ids."""

    version: str
    statements: tuple[dict[str, str | int], ...]
    partners: tuple[str, ...]
    indicators: tuple[str, ...]

    def statement_ids(self) -> tuple[str, ...]:
        return tuple(str(item["id"]) for item in self.statements)

    def text(self, statement_id: str) -> str:
        return next((str(item["text"]) for item in self.statements if item["id"] == statement_id), statement_id)


def base_version(version: str) -> str:
    """The bank version without the '+local' mark local questions add."""
    return version.removesuffix("+local")


@lru_cache(maxsize=8)
def migrations(directory: Path = MIGRATIONS_DIR) -> dict[str, Migration]:
    """Every migration in ``directory``, by the version it migrates from."""
    found: dict[str, Migration] = {}
    for path in sorted(directory.glob("*-to-*.toml")):
        match = _NAME.match(path.name)
        if not match:
            raise BankError(f"{path}: a migration file is named <from>-to-<to>.toml, for example 2026.1-to-2026.2.toml")
        try:
            migration = Migration.model_validate(read_toml(path))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(top level)"
            raise BankError(f"{path}: field {where}: {first['msg']}") from error
        if (migration.from_version, migration.to_version) != match.groups():
            raise BankError(f"{path}: field from/to: the versions inside must match the file name")
        found[migration.from_version] = migration
    return found


@lru_cache(maxsize=8)
def old_bank(version: str, directory: Path = MIGRATIONS_DIR) -> OldBank | None:
    """The kept copy of an older bank version, or None if the app keeps none."""
    path = directory / f"{base_version(version)}.toml"
    if not path.is_file():
        return None
    try:
        return OldBank.model_validate(read_toml(path))
    except ValidationError as error:
        raise BankError(f"{path}: {error.errors()[0]['msg']}") from error


def path_between(from_version: str, to_version: str, directory: Path = MIGRATIONS_DIR) -> list[Migration] | None:
    """The migrations that lead from one version to another, in order; None when there is no such path."""
    steps: list[Migration] = []
    current, target = base_version(from_version), base_version(to_version)
    known = migrations(directory)
    while current != target:
        step = known.get(current)
        if step is None or len(steps) > len(known):
            return None
        steps.append(step)
        current = step.to_version
    return steps
