"""The embedded SQLite store: every answer is saved at once, one transaction per save.

The database file is set by ``IOM_DB_PATH`` (default ``data/iom.sqlite3`` in the project folder).
WAL mode lets the app read while a save is under way; a new connection is opened per call, so
the store is safe to share between Streamlit sessions, which run in different threads. Saves are
taken one at a time within the process (a lock per database file) and wait for another process's
save (a busy timeout, then a few retries), so "database is locked" reaches nobody under normal load.

Storage faults never show as a traceback: a save that cannot be made raises ``StorageError``, whose
message says what went wrong and what to do; reads keep working from a read-only file or folder.
Opening a database writes nothing unless the file is new; a database made by a newer version of
the app (a higher ``user_version``) is refused, never stamped back.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import quote

from assessment.model import (
    ActionEdit,
    Assessment,
    AssessmentError,
    NotFound,
    PartnerChoice,
    StatementAnswer,
    now,
)

DB_ENV = "IOM_DB_PATH"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "iom.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT = 4.0  # seconds one attempt waits for another process's save
WRITE_ATTEMPTS = 3

T = TypeVar("T")
V = TypeVar("V")

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
_TABLES = {"assessments", "statement_answers", "plan_actions", "partner_answers"}


class StorageError(AssessmentError):
    """The database could not be read or written; the message says what went wrong and what to do."""


class NewerDatabase(StorageError):
    """The database was made by a newer version of the app."""


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


@dataclass(frozen=True)
class Saved(Generic[V]):
    """What one save left in the database: the value read back after the commit, and when.

    ``previous`` is when the assessment had last been saved before this save: if it is not the time the
    caller last saw, someone else saved in between and the caller's copy is out of date.
    """

    value: V
    stamp: datetime
    previous: datetime


def default_path() -> Path:
    value = os.environ.get(DB_ENV, "").strip()
    return Path(value) if value else DEFAULT_DB


_write_locks: dict[str, threading.Lock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(path: Path) -> threading.Lock:
    """One lock per database file for the whole process: its saves are taken one at a time."""
    name = str(Path(path).absolute())
    with _write_locks_guard:
        return _write_locks.setdefault(name, threading.Lock())


def _is_busy(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(error)


def explain(error: BaseException, path: Path) -> str:
    """What went wrong with the database, and what to do, in plain words."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            name = "SQLITE_FULL"
        elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            name = "SQLITE_READONLY"
        else:
            name = "SQLITE_CANTOPEN"
    if _is_busy(error):
        return "Another save was still under way and this one could not wait any longer."
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return (
            f"The database file {path} (or its folder) is read-only, so nothing can be saved. You can still read "
            "your answers and download them. Ask whoever runs the app to allow writing to that file and its folder."
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return (
            f"The disk that holds the database {path} is full. Free some space on it (or ask whoever runs the app "
            "to), then try again."
        )
    if name.startswith("SQLITE_IOERR"):
        return (
            f"The database {path} could not be written: the disk reported an error (it may be full or failing). "
            "Ask whoever runs the app to check it, then try again."
        )
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return (
            f"The file {path} is not a database this app can read. Set IOM_DB_PATH to another file, or restore "
            "the file from a backup."
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return (
            f"The database {path} cannot be opened. Check that its folder exists and that the app may read and "
            "write there, or set IOM_DB_PATH to a file in a folder it can use."
        )
    return (
        f"The database {path} reported a problem ({text}). Try again; if it happens again, tell whoever runs the app."
    )


class Store:
    """All reads and writes of assessments."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._open()

    # ---- opening ------------------------------------------------------------------------
    def _open(self) -> None:
        """Check the database can be used; create it only if it does not exist yet (nothing else is written)."""
        path = self.path
        if path.exists():
            if not path.is_file():
                raise StorageError(
                    f"The app cannot use {path} as its database: it is not a file. "
                    "Set IOM_DB_PATH to a file, for example data/iom.sqlite3."
                )
            version, tables = self._read(
                lambda c: (
                    c.execute("PRAGMA user_version").fetchone()[0],
                    {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")},
                ),
                starting=True,
            )
            if version > SCHEMA_VERSION:
                raise NewerDatabase(
                    f"The database {path} was saved by a newer version of this app (database version {version}; "
                    f"this version understands up to {SCHEMA_VERSION}). Use the newer version of the app, or set "
                    "IOM_DB_PATH to another file. Nothing has been changed."
                )
            if tables and not tables >= _TABLES:
                raise StorageError(
                    f"The file {path} is a database, but not this app's. Set IOM_DB_PATH to another file. "
                    "Nothing has been changed."
                )
            if tables:
                return  # the app's database, as it is: nothing to write
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(
                    f"The app cannot create its database at {path}: {error.strerror or error}. "
                    "Set IOM_DB_PATH to a file in a folder it can write to."
                ) from error
        self._create()

    def _create(self) -> None:
        try:
            connection = sqlite3.connect(self._uri("rwc"), uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;")
            finally:
                connection.close()
        except (sqlite3.Error, OSError) as error:
            raise StorageError(
                f"The app cannot create its database at {self.path}. {explain(error, self.path)}"
            ) from error

    def _uri(self, mode: str) -> str:
        uri = "file:" + quote(str(self.path.absolute())) + f"?mode={mode}"
        return uri + "&immutable=1" if mode == "ro" else uri

    # ---- reading and writing --------------------------------------------------------------
    def _read(self, work: Callable[[sqlite3.Connection], T], *, starting: bool = False) -> T:
        """Run ``work`` in one read transaction. A file or folder the app may not write to is still read."""
        for mode in ("rw", "ro"):
            try:
                connection = sqlite3.connect(self._uri(mode), uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
                try:
                    connection.execute("BEGIN")
                    result = work(connection)
                    connection.execute("COMMIT")
                    return result
                finally:
                    connection.close()
            except sqlite3.OperationalError as error:
                # Reading a WAL database needs its -shm file; in a read-only folder SQLite cannot make it. Nobody
                # can save there, so the file is read as it stands (immutable).
                if mode == "rw" and getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
                    continue
                raise self._fault(error, starting) from error
            except sqlite3.DatabaseError as error:
                raise self._fault(error, starting) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _fault(self, error: sqlite3.Error, starting: bool) -> StorageError:
        if starting:
            return StorageError(f"The app cannot use its database at {self.path}. {explain(error, self.path)}")
        return StorageError(explain(error, self.path))

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction: everything inside is saved, or nothing is.

        Saves in this process wait their turn on a lock; a save by another process is waited for (the busy
        timeout) and the whole transaction retried a few times before giving up with a ``StorageError``.
        """
        with _write_lock(self.path):
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    return self._write_once(work)
                except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
                    raise  # the data or the code is wrong, not the storage
                except sqlite3.Error as error:
                    if _is_busy(error) and attempt < WRITE_ATTEMPTS:
                        time.sleep(0.05 * attempt)
                        continue
                    raise StorageError(explain(error, self.path)) from error
                except OSError as error:
                    raise StorageError(explain(error, self.path)) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _write_once(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection = sqlite3.connect(self._uri("rw"), uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(connection)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            return result
        finally:
            connection.close()

    # ---- whole assessments -------------------------------------------------------------
    def create(self, assessment: Assessment) -> Assessment:
        self._write(lambda c: _insert(c, assessment))
        return assessment

    def replace(self, old_id: str, assessment: Assessment) -> Assessment:
        """Put ``assessment`` in place of ``old_id`` in one transaction (used by import)."""

        def work(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM assessments WHERE id = ?", (old_id,))
            _insert(connection, assessment)

        self._write(work)
        return assessment

    def save_bank_update(self, assessment: Assessment, update: BankUpdate) -> Assessment:
        """Replace the saved assessment with its migrated answers and keep the list of changes, in one transaction."""

        def work(connection: sqlite3.Connection) -> None:
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

        self._write(work)
        return assessment

    def bank_update(self, assessment_id: str) -> BankUpdate | None:
        """The list of changes from the last time the assessment was brought up to a newer bank, until dismissed."""
        row = self._read(
            lambda c: c.execute(
                "SELECT from_version, to_version, changes, fresh_look, made_at FROM bank_updates WHERE assessment_id = ?",
                (assessment_id,),
            ).fetchone()
        )
        if row is None:
            return None
        return BankUpdate(
            row[0], row[1], tuple(json.loads(row[2])), tuple(json.loads(row[3])), datetime.fromisoformat(row[4])
        )

    def dismiss_bank_update(self, assessment_id: str) -> None:
        self._write(lambda c: c.execute("DELETE FROM bank_updates WHERE assessment_id = ?", (assessment_id,)))

    def delete(self, assessment_id: str) -> None:
        self._write(lambda c: c.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,)))

    def get(self, assessment_id: str) -> Assessment:
        # One read transaction: the four reads see the same saved state, even while a replace is under way.
        return self._read(lambda c: _select(c, assessment_id))

    def exists(self, assessment_id: str) -> bool:
        return self._read(
            lambda c: c.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone() is not None
        )

    def list(self) -> list[AssessmentSummary]:
        rows = self._read(
            lambda c: c.execute(
                "SELECT a.id, a.area, a.year, a.bank_version, a.updated_at, a.is_example, "
                "(SELECT COUNT(*) FROM statement_answers s WHERE s.assessment_id = a.id AND s.choice IS NOT NULL) "
                "FROM assessments a ORDER BY a.area COLLATE NOCASE, a.year DESC, a.updated_at DESC"
            ).fetchall()
        )
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
        return self._read(
            lambda c: {
                table: c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in ("assessments", "statement_answers", "partner_answers", "plan_actions")
            }
        )

    def updated_at(self, assessment_id: str) -> datetime | None:
        """When the assessment was last saved (None if it no longer exists): a cheap check for changes."""
        row = self._read(
            lambda c: c.execute("SELECT updated_at FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        )
        return datetime.fromisoformat(row[0]) if row else None

    # ---- single changes: one transaction each, applied to what is stored now, read back after the commit ----
    def update_answer(self, assessment_id: str, statement_id: str, changes: dict) -> Saved[StatementAnswer]:
        """Apply ``changes`` to the answer as it is stored now, in one transaction.

        Reading and writing under the same lock means two tabs on one assessment never undo each other's
        changes: each save changes only the fields it names.
        """

        def work(connection: sqlite3.Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            stored = _answer(connection, assessment_id, statement_id)
            _write_answer(
                connection, assessment_id, statement_id, StatementAnswer.model_validate(stored.model_dump() | changes)
            )
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _answer(c, assessment_id, statement_id)), stamp, previous)

    def update_partner_answer(
        self, assessment_id: str, partner_id: str, indicator_id: str, value: PartnerChoice | None
    ) -> Saved[PartnerChoice | None]:
        def work(connection: sqlite3.Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
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
            return stamp, previous

        stamp, previous = self._write(work)
        row = self._read(
            lambda c: c.execute(
                "SELECT value FROM partner_answers WHERE assessment_id = ? AND partner_id = ? AND indicator_id = ?",
                (assessment_id, partner_id, indicator_id),
            ).fetchone()
        )
        return Saved(row[0] if row else None, stamp, previous)

    def update_target(self, assessment_id: str, principle: int, level: int) -> Saved[dict[int, int]]:
        """Set one principle's target on the targets as stored now, in one transaction."""

        def work(connection: sqlite3.Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            targets = _targets(connection, assessment_id) | {principle: level}
            connection.execute(
                "UPDATE assessments SET targets = ? WHERE id = ?",
                (json.dumps({str(k): v for k, v in sorted(targets.items())}), assessment_id),
            )
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _targets(c, assessment_id)), stamp, previous)

    def update_action(self, assessment_id: str, action_id: str, changes: dict) -> Saved[ActionEdit | None]:
        """Apply ``changes`` to the board's record of an action as stored now, in one transaction.

        A record of a suggested action that is back to its defaults is deleted; its value is then None.
        """

        def work(connection: sqlite3.Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            stored = _action(connection, assessment_id, action_id) or ActionEdit(action_id=action_id)
            edit = ActionEdit.model_validate({**stored.model_dump(), **changes, "action_id": action_id})
            if not edit.own and edit == ActionEdit(action_id=action_id):
                connection.execute(
                    "DELETE FROM plan_actions WHERE assessment_id = ? AND action_id = ?", (assessment_id, action_id)
                )
            else:
                _write_action(connection, assessment_id, edit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _action(c, assessment_id, action_id)), stamp, previous)

    def save_action(self, assessment_id: str, edit: ActionEdit) -> Saved[ActionEdit | None]:
        def work(connection: sqlite3.Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            _write_action(connection, assessment_id, edit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _action(c, assessment_id, edit.action_id)), stamp, previous)

    def delete_action(self, assessment_id: str, action_id: str) -> Saved[None]:
        def work(connection: sqlite3.Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            connection.execute(
                "DELETE FROM plan_actions WHERE assessment_id = ? AND action_id = ?", (assessment_id, action_id)
            )
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(None, stamp, previous)

    def save_targets(self, assessment_id: str, targets: dict[int, int]) -> datetime:
        def work(connection: sqlite3.Connection) -> datetime:
            stamp, _ = _touch(connection, assessment_id)
            connection.execute(
                "UPDATE assessments SET targets = ? WHERE id = ?",
                (json.dumps({str(k): v for k, v in sorted(targets.items())}), assessment_id),
            )
            return stamp

        return self._write(work)


def _select(connection: sqlite3.Connection, assessment_id: str) -> Assessment:
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
        "SELECT partner_id, indicator_id, value FROM partner_answers WHERE assessment_id = ?", (assessment_id,)
    ).fetchall()
    plan = connection.execute(
        "SELECT edit FROM plan_actions WHERE assessment_id = ? ORDER BY action_id", (assessment_id,)
    ).fetchall()
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


def _answer(connection: sqlite3.Connection, assessment_id: str, statement_id: str) -> StatementAnswer:
    row = connection.execute(
        "SELECT choice, evidence, na_reason FROM statement_answers WHERE assessment_id = ? AND statement_id = ?",
        (assessment_id, statement_id),
    ).fetchone()
    return StatementAnswer(choice=row[0], evidence=row[1], na_reason=row[2]) if row else StatementAnswer()


def _targets(connection: sqlite3.Connection, assessment_id: str) -> dict[int, int]:
    row = connection.execute("SELECT targets FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
    if row is None:
        raise NotFound("That assessment no longer exists. Go to the Start page.")
    return {int(k): v for k, v in json.loads(row[0]).items()}


def _action(connection: sqlite3.Connection, assessment_id: str, action_id: str) -> ActionEdit | None:
    row = connection.execute(
        "SELECT edit FROM plan_actions WHERE assessment_id = ? AND action_id = ?", (assessment_id, action_id)
    ).fetchone()
    return ActionEdit.model_validate_json(row[0]) if row else None


def _write_action(connection: sqlite3.Connection, assessment_id: str, edit: ActionEdit) -> None:
    connection.execute(
        "INSERT INTO plan_actions (assessment_id, action_id, edit) VALUES (?, ?, ?) "
        "ON CONFLICT (assessment_id, action_id) DO UPDATE SET edit = excluded.edit",
        (assessment_id, edit.action_id, edit.model_dump_json()),
    )


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


def _touch(connection: sqlite3.Connection, assessment_id: str) -> tuple[datetime, datetime]:
    """Mark the assessment as saved now; return now and when it had been saved before."""
    row = connection.execute("SELECT updated_at FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
    if row is None:
        raise NotFound("That assessment no longer exists, so the answer was not saved. Go to the Start page.")
    previous = datetime.fromisoformat(row[0])
    stamp = max(now(), previous + timedelta(microseconds=1))  # always later: a clock step back cannot hide a save
    connection.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (stamp.isoformat(), assessment_id))
    return stamp, previous


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
