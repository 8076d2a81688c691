"""Reads the question bank from its TOML files, and a board's local questions, and validates them.

A broken file fails at start-up with a ``BankError`` that names the file and the field.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from questions.models import PRINCIPLE_COUNT, PRINCIPLE_NUMBERS, Principle, QuestionBank, Statement

BANK_DIR = Path(__file__).parent / "bank"
LOCAL_EXAMPLE = Path(__file__).parent / "local" / "example.toml"
LOCAL_ENV = "IOM_LOCAL_QUESTIONS"


class BankError(Exception):
    """The question bank, or a local questions file, is not valid."""


def read_toml(path: Path, error_type: type[Exception] = BankError) -> dict:
    """A data file's contents; a missing or broken file raises ``error_type`` naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise error_type(f"{path}: the file is missing") from error
    except tomllib.TOMLDecodeError as error:
        raise error_type(f"{path}: not valid TOML ({error})") from error


def _describe(error: ValidationError, path: Path) -> str:
    lines = [f"{path}: {error.error_count()} problem(s)"]
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"  field {where}: {item['msg']}")
    return "\n".join(lines)


def _parse_principle(path: Path) -> dict:
    raw = read_toml(path)
    try:
        Principle.model_validate(raw)
    except ValidationError as error:
        raise BankError(_describe(error, path)) from error
    return raw


def _local_statements(path: Path) -> tuple[str, dict[int, list[dict]]]:
    """Read a local questions file: a name and statements, each attached to a principle."""
    raw = read_toml(path)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BankError(f'{path}: field name: give the local questions a name, for example name = "Northshire 2026"')
    by_principle: dict[int, list[dict]] = {}
    for index, item in enumerate(raw.get("statements", [])):
        where = f"{path}: statements[{index}]"
        if not isinstance(item, dict):
            raise BankError(f"{where}: each statement must be a [[statements]] table")
        item = dict(item)
        principle = item.pop("principle", None)
        if principle not in PRINCIPLE_NUMBERS:
            raise BankError(f"{where}: field principle: must be a whole number from 1 to {PRINCIPLE_COUNT}")
        item["id"] = f"local-{item.get('id', '')}"
        item.setdefault("sources", [{"file": "local", "section": name}])
        item["local"] = True
        try:
            Statement.model_validate(item)
        except ValidationError as error:
            raise BankError(_describe(error, Path(f"{path} statements[{index}]"))) from error
        by_principle.setdefault(principle, []).append(item)
    if not by_principle:
        raise BankError(f"{path}: field statements: the file has no [[statements]]")
    return name.strip(), by_principle


def load_bank(bank_dir: Path = BANK_DIR, local_file: Path | None = None) -> QuestionBank:
    """Load and validate the bank, adding local questions from ``local_file`` if given."""
    meta = read_toml(bank_dir / "bank.toml")
    principles = [_parse_principle(bank_dir / f"principle_{number}.toml") for number in PRINCIPLE_NUMBERS]
    for path, raw in zip((bank_dir / f"principle_{n}.toml" for n in PRINCIPLE_NUMBERS), principles, strict=True):
        count = len(raw.get("statements", []))
        if not 4 <= count <= 7:
            raise BankError(f"{path}: field statements: each principle needs 4 to 7 statements, not {count}")
    partners = read_toml(bank_dir / "partners.toml")
    version = meta.get("version", "")
    local_name = ""
    if local_file is not None:
        local_name, extra = _local_statements(local_file)
        for number, items in extra.items():
            principles[number - 1] = {**principles[number - 1]}
            principles[number - 1]["statements"] = [*principles[number - 1]["statements"], *items]
        version = f"{version}+local"
    try:
        return QuestionBank.model_validate(
            {**meta, "version": version, "principles": principles, "partners": partners, "local_name": local_name}
        )
    except ValidationError as error:
        raise BankError(_describe(error, bank_dir)) from error


def local_file_from_environment() -> Path | None:
    value = os.environ.get(LOCAL_ENV, "").strip()
    return Path(value) if value else None


@lru_cache(maxsize=4)
def _cached(bank_dir: Path, local_file: Path | None) -> QuestionBank:
    return load_bank(bank_dir, local_file)


def get_bank() -> QuestionBank:
    """The bank in use, read once per process (local questions from $IOM_LOCAL_QUESTIONS)."""
    return _cached(BANK_DIR, local_file_from_environment())
