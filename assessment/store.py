"""The embedded SQLite store: every answer is saved at once, one transaction per save.

The database file is set by ``IOM_DB_PATH`` (default ``data/iom.sqlite3`` in the project folder).
WAL mode lets the app read while a save is under way; a new connection is opened per call, so
the store is safe to share between Streamlit sessions, which run in different threads.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assessment.model import ActionEdit, Assessment, NotFound, PartnerChoice, StatementAnswer, now

DB_ENV = "IOM_DB_PATH"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "iom.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS assessments (
    id TEXT PRIMARY KEY,
    area TEXT NOT NULL,
    year INTEGER NOT NULL,
    bank_version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    is_example INTEGER NOT NULL DEFAULT 0,
    targets TEXT NOT NULL DEFAULT '{}',
    previous_id TEXT
);
CREATE INDEX IF NOT EXISTS assessments_area_year ON assessments (area COLLATE NOCASE, year);
CREATE TABLE IF NOT EXISTS statement_answers (
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL,
    choice TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    na_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, statement_id)
);
CREATE TABLE IF NOT EXISTS plan_actions (
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    edit TEXT NOT NULL,
    PRIMARY KEY (assessment_id, action_id)
);
CREATE TABLE IF NOT EXISTS bank_updates (
    assessment_id TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    from_version TEXT NOT NULL,
    to_version TEXT NOT NULL,
    changes TEXT NOT NULL,
    fresh_look TEXT NOT NULL,
    made_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS partner_answers (
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (assessment_id, partner_id, indicator_id)
);
"""


@dataclass(frozen=True)
class BankUpdate:
    """The record of an assessment brought up to a newer question bank: what changed, and what needs a fresh look."""

    from_version: str
    to_version: str
    changes: tuple[str, ...]
    fresh_look: tuple[str, ...]
    made_at: datetime


@dataclass(frozen=True)
class AssessmentSummary:
    """A line in the list of saved assessments."""

    id: str
    area: str
    year: int
    bank_version: str
    updated_at: datetime
    is_example: bool
    answered: int


def default_path() -> Path:
    value = os.environ.get(DB_ENV, "").strip()
    return Path(value) if value else DEFAULT_DB


class Store:
    """All reads and writes of assessments."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys=ON")
            yield connection
        finally:
            connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside is saved, or nothing is."""
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    # ---- whole assessments -------------------------------------------------------------
    def create(self, assessment: Assessment) -> Assessment:
        with self.transaction() as connection:
            _insert(connection, assessment)
        return assessment

    def replace(self, old_id: str, assessment: Assessment) -> Assessment:
        """Put ``assessment`` in place of ``old_id`` in one transaction (used by import)."""
        with self.transaction() as connection:
            connection.execute("DELETE FROM assessments WHERE id = ?", (old_id,))
            _insert(connection, assessment)
        return assessment

    def save_bank_update(self, assessment: Assessment, update: BankUpdate) -> Assessment:
        """Replace the saved assessment with its migrated answers and keep the list of changes, in one transaction."""
        with self.transaction() as connection:
            connection.execute("DELETE FROM assessments WHERE id = ?", (assessment.id,))
            _insert(connection, assessment)
            connection.execute(
                "INSERT INTO bank_updates (assessment_id, from_version, to_version, changes, fresh_look, made_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    assessment.id,
                    update.from_version,
                    update.to_version,
                    json.dumps(list(update.changes)),
                    json.dumps(list(update.fresh_look)),
                    update.made_at.isoformat(),
                ),
            )
        return assessment

    def bank_update(self, assessment_id: str) -> BankUpdate | None:
        """The list of changes from the last time the assessment was brought up to a newer bank, until dismissed."""
        with self._connect() as connection:
            row = connection.execute(
                "SELECT from_version, to_version, changes, fresh_look, made_at FROM bank_updates WHERE assessment_id = ?",
                (assessment_id,),
            ).fetchone()
        if row is None:
            return None
        return BankUpdate(
            row[0], row[1], tuple(json.loads(row[2])), tuple(json.loads(row[3])), datetime.fromisoformat(row[4])
        )

    def dismiss_bank_update(self, assessment_id: str) -> None:
        with self.transaction() as connection:
            connection.execute("DELETE FROM bank_updates WHERE assessment_id = ?", (assessment_id,))

    def delete(self, assessment_id: str) -> None:
        with self.transaction() as connection:
            connection.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))

    def get(self, assessment_id: str) -> Assessment:
        with self._connect() as connection:
            # One read transaction: the four reads see the same saved state, even while a replace is under way.
            connection.execute("BEGIN")
            row = connection.execute(
                "SELECT id, area, year, bank_version, created_at, updated_at, is_example, targets, previous_id "
                "FROM assessments WHERE id = ?",
                (assessment_id,),
            ).fetchone()
            if row is None:
                raise NotFound(
                    "No assessment has that link. Check the link, or start or choose an assessment on the Start page."
                )
            answers = connection.execute(
                "SELECT statement_id, choice, evidence, na_reason FROM statement_answers WHERE assessment_id = ?",
                (assessment_id,),
            ).fetchall()
            partners = connection.execute(
                "SELECT partner_id, indicator_id, value FROM partner_answers WHERE assessment_id = ?",
                (assessment_id,),
            ).fetchall()
            plan = connection.execute(
                "SELECT edit FROM plan_actions WHERE assessment_id = ? ORDER BY action_id", (assessment_id,)
            ).fetchall()
            connection.execute("COMMIT")
        partner_answers: dict[str, dict[str, str]] = {}
        for partner_id, indicator_id, value in partners:
            partner_answers.setdefault(partner_id, {})[indicator_id] = value
        return Assessment(
            id=row[0],
            area=row[1],
            year=row[2],
            bank_version=row[3],
            created_at=datetime.fromisoformat(row[4]),
            updated_at=datetime.fromisoformat(row[5]),
            is_example=bool(row[6]),
            targets={int(k): v for k, v in json.loads(row[7]).items()},
            answers={
                sid: StatementAnswer(choice=choice, evidence=evidence, na_reason=na_reason)
                for sid, choice, evidence, na_reason in answers
            },
            partner_answers=partner_answers,
            plan={edit.action_id: edit for edit in (ActionEdit.model_validate_json(r[0]) for r in plan)},
            previous_id=row[8],
        )

    def exists(self, assessment_id: str) -> bool:
        with self._connect() as connection:
            return connection.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone() is not None

    def list(self) -> list[AssessmentSummary]:
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT a.id, a.area, a.year, a.bank_version, a.updated_at, a.is_example, "
                "(SELECT COUNT(*) FROM statement_answers s WHERE s.assessment_id = a.id AND s.choice IS NOT NULL) "
                "FROM assessments a ORDER BY a.area COLLATE NOCASE, a.year DESC, a.updated_at DESC"
            ).fetchall()
        return [
            AssessmentSummary(
                id=r[0],
                area=r[1],
                year=r[2],
                bank_version=r[3],
                updated_at=datetime.fromisoformat(r[4]),
                is_example=bool(r[5]),
                answered=r[6],
            )
            for r in rows
        ]

    def find(self, area: str, year: int) -> list[AssessmentSummary]:
        wanted = " ".join(area.split()).casefold()
        return [s for s in self.list() if s.area.casefold() == wanted and s.year == year]

    def counts(self) -> dict[str, int]:
        """How many rows each table holds: used by tests to show a failed import changed nothing."""
        with self._connect() as connection:
            return {
                table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in ("assessments", "statement_answers", "partner_answers", "plan_actions")
            }

    # ---- single answers: one transaction each ------------------------------------------
    def update_answer(self, assessment_id: str, statement_id: str, changes: dict) -> tuple[StatementAnswer, datetime]:
        """Apply ``changes`` to the answer as it is stored now, in one transaction.

        Reading and writing under the same lock means two tabs on one assessment never undo each other's
        changes: each save changes only the fields it names.
        """
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            row = connection.execute(
                "SELECT choice, evidence, na_reason FROM statement_answers WHERE assessment_id = ? AND statement_id = ?",
                (assessment_id, statement_id),
            ).fetchone()
            stored = StatementAnswer(choice=row[0], evidence=row[1], na_reason=row[2]) if row else StatementAnswer()
            answer = StatementAnswer.model_validate({**stored.model_dump(), **changes})
            _write_answer(connection, assessment_id, statement_id, answer)
        return answer, stamp

    def update_target(self, assessment_id: str, principle: int, level: int) -> tuple[dict[int, int], datetime]:
        """Set one principle's target on the targets as stored now, in one transaction."""
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            stored = json.loads(
                connection.execute("SELECT targets FROM assessments WHERE id = ?", (assessment_id,)).fetchone()[0]
            )
            targets = {int(k): v for k, v in stored.items()} | {principle: level}
            connection.execute(
                "UPDATE assessments SET targets = ? WHERE id = ?",
                (json.dumps({str(k): v for k, v in sorted(targets.items())}), assessment_id),
            )
        return targets, stamp

    def update_action(self, assessment_id: str, action_id: str, changes: dict) -> tuple[ActionEdit | None, datetime]:
        """Apply ``changes`` to the board's record of an action as stored now, in one transaction.

        A record of a suggested action that is back to its defaults is deleted; the result is then None.
        """
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            row = connection.execute(
                "SELECT edit FROM plan_actions WHERE assessment_id = ? AND action_id = ?", (assessment_id, action_id)
            ).fetchone()
            stored = ActionEdit.model_validate_json(row[0]) if row else ActionEdit(action_id=action_id)
            edit = ActionEdit.model_validate({**stored.model_dump(), **changes, "action_id": action_id})
            if not edit.own and edit == ActionEdit(action_id=action_id):
                connection.execute(
                    "DELETE FROM plan_actions WHERE assessment_id = ? AND action_id = ?", (assessment_id, action_id)
                )
                return None, stamp
            connection.execute(
                "INSERT INTO plan_actions (assessment_id, action_id, edit) VALUES (?, ?, ?) "
                "ON CONFLICT (assessment_id, action_id) DO UPDATE SET edit = excluded.edit",
                (assessment_id, action_id, edit.model_dump_json()),
            )
        return edit, stamp

    def updated_at(self, assessment_id: str) -> datetime | None:
        """When the assessment was last saved (None if it no longer exists): a cheap check for changes."""
        with self._connect() as connection:
            row = connection.execute("SELECT updated_at FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def save_partner_answer(
        self, assessment_id: str, partner_id: str, indicator_id: str, value: PartnerChoice | None
    ) -> datetime:
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            if value is None:
                connection.execute(
                    "DELETE FROM partner_answers WHERE assessment_id = ? AND partner_id = ? AND indicator_id = ?",
                    (assessment_id, partner_id, indicator_id),
                )
            else:
                connection.execute(
                    "INSERT INTO partner_answers (assessment_id, partner_id, indicator_id, value) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (assessment_id, partner_id, indicator_id) DO UPDATE SET value = excluded.value",
                    (assessment_id, partner_id, indicator_id, value),
                )
        return stamp

    def save_action(self, assessment_id: str, edit: ActionEdit) -> datetime:
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            connection.execute(
                "INSERT INTO plan_actions (assessment_id, action_id, edit) VALUES (?, ?, ?) "
                "ON CONFLICT (assessment_id, action_id) DO UPDATE SET edit = excluded.edit",
                (assessment_id, edit.action_id, edit.model_dump_json()),
            )
        return stamp

    def delete_action(self, assessment_id: str, action_id: str) -> datetime:
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            connection.execute(
                "DELETE FROM plan_actions WHERE assessment_id = ? AND action_id = ?", (assessment_id, action_id)
            )
        return stamp

    def save_targets(self, assessment_id: str, targets: dict[int, int]) -> datetime:
        stamp = now()
        with self.transaction() as connection:
            _touch(connection, assessment_id, stamp)
            connection.execute(
                "UPDATE assessments SET targets = ? WHERE id = ?",
                (json.dumps({str(k): v for k, v in sorted(targets.items())}), assessment_id),
            )
        return stamp


def _write_answer(
    connection: sqlite3.Connection, assessment_id: str, statement_id: str, answer: StatementAnswer
) -> None:
    if answer.is_empty:
        connection.execute(
            "DELETE FROM statement_answers WHERE assessment_id = ? AND statement_id = ?", (assessment_id, statement_id)
        )
    else:
        connection.execute(
            "INSERT INTO statement_answers (assessment_id, statement_id, choice, evidence, na_reason) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id, statement_id) DO UPDATE SET "
            "choice = excluded.choice, evidence = excluded.evidence, na_reason = excluded.na_reason",
            (assessment_id, statement_id, answer.choice, answer.evidence, answer.na_reason),
        )


def _touch(connection: sqlite3.Connection, assessment_id: str, stamp: datetime) -> None:
    updated = connection.execute(
        "UPDATE assessments SET updated_at = ? WHERE id = ?", (stamp.isoformat(), assessment_id)
    ).rowcount
    if updated != 1:
        raise NotFound("That assessment no longer exists, so the answer was not saved. Go to the Start page.")


def _insert(connection: sqlite3.Connection, assessment: Assessment) -> None:
    connection.execute(
        "INSERT INTO assessments "
        "(id, area, year, bank_version, created_at, updated_at, is_example, targets, previous_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            assessment.id,
            assessment.area,
            assessment.year,
            assessment.bank_version,
            assessment.created_at.isoformat(),
            assessment.updated_at.isoformat(),
            int(assessment.is_example),
            json.dumps({str(k): v for k, v in sorted(assessment.targets.items())}),
            assessment.previous_id,
        ),
    )
    connection.executemany(
        "INSERT INTO plan_actions (assessment_id, action_id, edit) VALUES (?, ?, ?)",
        [(assessment.id, aid, edit.model_dump_json()) for aid, edit in sorted(assessment.plan.items())],
    )
    connection.executemany(
        "INSERT INTO statement_answers (assessment_id, statement_id, choice, evidence, na_reason) VALUES (?, ?, ?, ?, ?)",
        [
            (assessment.id, sid, a.choice, a.evidence, a.na_reason)
            for sid, a in sorted(assessment.answers.items())
            if not a.is_empty
        ],
    )
    connection.executemany(
        "INSERT INTO partner_answers (assessment_id, partner_id, indicator_id, value) VALUES (?, ?, ?, ?)",
        [
            (assessment.id, pid, iid, value)
            for pid, indicators in sorted(assessment.partner_answers.items())
            for iid, value in sorted(indicators.items())
        ],
    )
