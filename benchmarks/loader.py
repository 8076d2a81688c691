"""Reads the benchmark library from its TOML files in ``benchmarks/data/`` and validates it.

A broken file fails with a ``LibraryError`` that names the file and the field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from benchmarks.models import (
    ActionRule,
    ActionRules,
    EnablingFactor,
    EvidenceFigure,
    NationalFigure,
    PracticeExample,
    PracticeLibrary,
    Survey,
)
from questions.loader import get_bank, read_toml

DATA_DIR = Path(__file__).parent / "data"

NATIONAL_FILE = "national_figures.toml"
EXAMPLES_FILE = "practice_examples.toml"
FACTORS_FILE = "enabling_factors.toml"
EVIDENCE_FILE = "evidence_figures.toml"
RULES_FILE = "action_rules.toml"


class LibraryError(Exception):
    """A benchmark data file is missing or not valid."""


def _read_toml(path: Path) -> dict[str, Any]:
    return read_toml(path, LibraryError)


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _describe(error: ValidationError, path: Path, key: str, entries: Any, wrapped: bool = True) -> str:
    """One line per problem: the file, the field (as the file spells it) and, for a table, its id.

    ``wrapped`` errors come from validating ``{"items": [...]}``, so their first location part is replaced by ``key``.
    """
    lines = [f"{path}: {error.error_count()} problem(s)"]
    for item in error.errors():
        loc = (key, *item["loc"][1:]) if wrapped else (key, *item["loc"])
        label = ""
        # Name the item by its id too, so the author can find it: figures[3] (id 'x').
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(entries, list) and isinstance(entries[loc[1]], dict):
            name = entries[loc[1]].get("id") or entries[loc[1]].get("partner_id")
            label = f" (id {name!r})" if name else ""
        lines.append(f"  field {_where(loc)}{label}: {item['msg']}")
    return "\n".join(lines)


def _items(path: Path, raw: dict[str, Any], key: str, model: type[BaseModel]) -> list[BaseModel]:
    """Validate the ``[[key]]`` tables of one file, naming the file and field on failure."""
    unknown = sorted(set(raw) - {key, "survey"})
    if unknown:
        raise LibraryError(f"{path}: field {unknown[0]}: not expected here (the file holds [[{key}]] tables)")
    entries = raw.get(key)
    if not isinstance(entries, list) or not entries:
        raise LibraryError(f"{path}: field {key}: the file has no [[{key}]] tables")

    class _File(BaseModel):
        model_config = {"extra": "forbid"}
        items: list[model]  # type: ignore[valid-type]

    try:
        return list(_File.model_validate({"items": entries}).items)
    except ValidationError as error:
        raise LibraryError(_describe(error, path, key, entries)) from error


def _survey(path: Path, raw: dict[str, Any]) -> Survey:
    if not isinstance(raw.get("survey"), dict):
        raise LibraryError(f"{path}: field survey: the file needs a [survey] table describing the national survey")
    try:
        return Survey.model_validate(raw["survey"])
    except ValidationError as error:
        raise LibraryError(_describe(error, path, "survey", None, wrapped=False)) from error


def bank_partner_ids() -> tuple[str, ...]:
    """The partner ids of the question bank in use: the one list of partners (questions/bank/partners.toml)."""
    return tuple(partner.id for partner in get_bank().partners.partners)


def _check_partners(path: Path, key: str, items: list, fields: tuple[str, ...], partner_ids: tuple[str, ...]) -> None:
    """Every partner id a data file names must be a partner of the question bank."""
    for index, item in enumerate(items):
        for field in fields:
            value = getattr(item, field)
            for position, partner_id in enumerate(value if isinstance(value, tuple) else (value,)):
                if partner_id not in partner_ids:
                    where = f"{key}[{index}].{field}" + (f"[{position}]" if isinstance(value, tuple) else "")
                    name = getattr(item, "id", None)
                    raise LibraryError(
                        f"{path}: field {where}" + (f" (id {name!r})" if name else "") + f": {partner_id!r} is not "
                        f"a partner in the question bank; expected one of {', '.join(partner_ids)}"
                    )


def load_library(data_dir: Path = DATA_DIR, partner_ids: tuple[str, ...] | None = None) -> PracticeLibrary:
    """Load and validate every benchmark file in ``data_dir``; partner ids must be the bank's (``partner_ids``)."""
    data_dir = Path(data_dir)
    partner_ids = bank_partner_ids() if partner_ids is None else partner_ids
    national_path = data_dir / NATIONAL_FILE
    national_raw = _read_toml(national_path)
    survey = _survey(national_path, national_raw)
    national = _items(national_path, national_raw, "figures", NationalFigure)

    examples_path = data_dir / EXAMPLES_FILE
    examples = _items(examples_path, _no_survey(examples_path, _read_toml(examples_path)), "examples", PracticeExample)
    factors_path = data_dir / FACTORS_FILE
    factors = _items(factors_path, _no_survey(factors_path, _read_toml(factors_path)), "factors", EnablingFactor)
    evidence_path = data_dir / EVIDENCE_FILE
    evidence = _items(evidence_path, _no_survey(evidence_path, _read_toml(evidence_path)), "figures", EvidenceFigure)
    _check_partners(national_path, "figures", national, ("partner_id",), partner_ids)
    _check_partners(examples_path, "examples", examples, ("partners",), partner_ids)
    _check_partners(factors_path, "factors", factors, ("partners",), partner_ids)
    _check_partners(evidence_path, "figures", evidence, ("partners",), partner_ids)

    # Checks across the whole library (every partner listed once, ids unique) name the file at fault.
    parts = {
        "national_figures": (national_path, national),
        "examples": (examples_path, examples),
        "enabling_factors": (factors_path, factors),
        "evidence": (evidence_path, evidence),
    }
    try:
        return PracticeLibrary(
            survey=survey,
            national_figures=tuple(national),  # type: ignore[arg-type]
            examples=tuple(examples),  # type: ignore[arg-type]
            enabling_factors=tuple(factors),  # type: ignore[arg-type]
            evidence=tuple(evidence),  # type: ignore[arg-type]
        )
    except ValidationError as error:
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        culprit = _culprit(message, parts)
        raise LibraryError(f"{culprit[0]}: field {culprit[1]}: {message}") from error


def _no_survey(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    if "survey" in raw:
        raise LibraryError(f"{path}: field survey: only {NATIONAL_FILE} has a [survey] table")
    return raw


def _culprit(message: str, parts: dict[str, tuple[Path, list[BaseModel]]]) -> tuple[Path, str]:
    """Which file and table a library-wide check failed on, from its message."""
    if message.startswith("national figures"):
        return parts["national_figures"][0], "figures.partner_id"
    for prefix, key, table in (
        ("practice example", "examples", "examples"),
        ("enabling factor", "enabling_factors", "factors"),
        ("evidence figure", "evidence", "figures"),
    ):
        if message.startswith(prefix):
            return parts[key][0], f"{table}.id"
    return parts["national_figures"][0].parent, "(library)"


@lru_cache(maxsize=4)
def _cached(data_dir: Path, partner_ids: tuple[str, ...]) -> PracticeLibrary:
    return load_library(data_dir, partner_ids)


def get_library() -> PracticeLibrary:
    """The benchmark library, read and validated once per process (and again if the bank's partners change)."""
    return _cached(DATA_DIR, bank_partner_ids())


def load_action_rules(
    data_dir: Path = DATA_DIR, library: PracticeLibrary | None = None, partner_ids: tuple[str, ...] | None = None
) -> ActionRules:
    """Load and validate the action plan's matching rules, checking every id they cite is in the library."""
    data_dir = Path(data_dir)
    partner_ids = bank_partner_ids() if partner_ids is None else partner_ids
    library = library if library is not None else load_library(data_dir, partner_ids)
    path = data_dir / RULES_FILE
    raw = _no_survey(path, _read_toml(path))
    rules: list[ActionRule] = _items(path, raw, "rules", ActionRule)  # type: ignore[assignment]
    _check_partners(path, "rules", rules, ("partners", "concerns"), partner_ids)
    known = {
        "examples": {e.id for e in library.examples},
        "factors": {f.id for f in library.enabling_factors},
        "evidence": {f.id for f in library.evidence},
    }
    for index, rule in enumerate(rules):
        for field, ids in known.items():
            for item in getattr(rule, field):
                if item not in ids:
                    raise LibraryError(
                        f"{path}: field rules[{index}].{field} (id {rule.id!r}): {item!r} is not in the library"
                    )
    try:
        return ActionRules(rules=tuple(rules))
    except ValidationError as error:
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        raise LibraryError(f"{path}: field rules.id: {message}") from error


@lru_cache(maxsize=4)
def _cached_rules(data_dir: Path, partner_ids: tuple[str, ...]) -> ActionRules:
    return load_action_rules(data_dir, _cached(data_dir, partner_ids), partner_ids)


def get_action_rules() -> ActionRules:
    """The action plan's matching rules, read and validated once per process."""
    return _cached_rules(DATA_DIR, bank_partner_ids())
