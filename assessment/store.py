"""Storage of assessments: every answer is saved at once, one transaction per save, on SQLite or PostgreSQL.

Local mode keeps an embedded SQLite file (``IOM_DB_PATH``, default ``data/iom.sqlite3``); shared mode uses the
database named by ``IOM_DATABASE_URL`` (PostgreSQL). The schema is declared once (``database.py``) and built
and upgraded by Alembic migrations; an existing SQLite file of the first store upgrades in place.

Each save is one transaction that reads the answer as stored now, applies only the fields it changes, and
writes it back, with the assessment's row locked (``SELECT ... FOR UPDATE`` on PostgreSQL, the write lock on
SQLite): two sessions changing different statements both keep their change, and for the same statement the
later save wins; the page of the session whose answer was replaced is told when it next runs. The save's
audit record is written in the same transaction.

SQLite: a new connection per call (so opening a saved database writes nothing, and a read-only file or folder
can still be read); saves are taken one at a time within the process and wait for another process's save (a
busy timeout, then a few retries). Storage faults never show as a traceback: a save that cannot be made raises
``StorageError``, whose message says what went wrong and what to do. A database made by a newer version of
the app is refused, never stamped back.
"""

from __future__ import annotations

import errno
import functools
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from sqlalchemy import Connection, Engine, bindparam, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from assessment.access import area_code as make_area_code
from assessment.agreement import position_answer, position_partner, settled
from assessment.audit import Change, summarise
from assessment.database import (
    DB_ENV,
    DEFAULT_DB,
    agreements,
    areas,
    assessments,
    audit_events,
    bank_updates,
    database_url,
    default_path,
    migrate,
    moderations,
    partner_answers,
    plan_actions,
    respondent_answers,
    respondent_partner_answers,
    respondents,
    sqlite_path,
    sqlite_url,
    statement_answers,
)
from assessment.model import (
    ActionEdit,
    Agreed,
    Assessment,
    AssessmentError,
    Moderation,
    NotFound,
    PartnerChoice,
    Respondent,
    StatementAnswer,
    now,
)

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "AssessmentSummary",
    "NewerDatabase",
    "Saved",
    "StorageError",
    "Store",
    "default_path",
]

SCHEMA_VERSION = 1  # SQLite's user_version mark, as the first store wrote it; the schema itself is Alembic's
BUSY_TIMEOUT = 4.0  # seconds one attempt waits for another process's save (SQLite)
WRITE_ATTEMPTS = 3
SERVER_CONNECT_TIMEOUT = 5  # seconds to wait for the database server
_TABLES = {"assessments", "statement_answers", "plan_actions", "partner_answers"}

T = TypeVar("T")
V = TypeVar("V")


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


@dataclass(frozen=True)
class Audit:
    """What a save records in the audit trail: who, and what kind of change (the time is the save's own)."""

    by: str
    action: str
    target: str = ""
    detail: dict[str, Any] | None = None


# ---- what went wrong, in plain words ------------------------------------------------------------------------


def _sqlite_name(error: BaseException) -> str:
    error = getattr(error, "orig", None) or error
    return getattr(error, "sqlite_errorname", "") or ""


def _is_busy(error: BaseException) -> bool:
    return _sqlite_name(error).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(error)


def _sqlstate(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    return str(getattr(original, "sqlstate", "") or "")


def explain(error: BaseException, path: Path) -> str:
    """What went wrong with the SQLite database, and what to do, in plain words."""
    name = _sqlite_name(error)
    original = getattr(error, "orig", None) or error
    text_ = str(original)
    if isinstance(original, OSError):
        if original.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            name = "SQLITE_FULL"
        elif original.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            name = "SQLITE_READONLY"
        else:
            name = "SQLITE_CANTOPEN"
    if _is_busy(error):
        return "Another save was still under way and this one could not wait any longer."
    if name.startswith("SQLITE_READONLY") or "readonly database" in text_:
        return (
            f"The database file {path} (or its folder) is read-only, so nothing can be saved. You can still read "
            "your answers and download them. Ask whoever runs the app to allow writing to that file and its folder."
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in text_:
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
        f"The database {path} reported a problem ({text_}). Try again; if it happens again, tell whoever runs the app."
    )


def explain_server(error: BaseException) -> str:
    """What went wrong with the database server, and what to do, in plain words (no addresses or passwords)."""
    state = _sqlstate(error)
    if state == "25006" or "read-only transaction" in str(error):
        return (
            "The database is read-only at the moment (it may be under maintenance), so nothing can be saved. You "
            "can still read your answers and download them. Try again later; if it lasts, tell whoever runs the "
            "service."
        )
    if state == "53100":
        return "The database server's disk is full. Tell whoever runs the service; try again once it is fixed."
    if state.startswith(("08", "57P")) or (
        state == "" and isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        return (
            "The database cannot be reached at the moment. Try again in a minute; if it keeps happening, tell "
            "whoever runs the service."
        )
    if state in ("40001", "40P01", "55P03"):
        return "Another save was still under way and this one could not wait any longer."
    if not state:
        return (
            "The database cannot be reached at the moment. Try again in a minute; if it keeps happening, tell "
            "whoever runs the service."
        )
    return f"The database reported a problem (code {state}). Try again; if it happens again, tell whoever runs the service."


# ---- the store ------------------------------------------------------------------------------------------------

_write_locks: dict[str, threading.Lock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(name: str) -> threading.Lock:
    """One lock per SQLite file for the whole process: its saves are taken one at a time."""
    with _write_locks_guard:
        return _write_locks.setdefault(name, threading.Lock())


class Store:
    """All reads and writes of assessments."""

    def __init__(self, location: Path | str | None = None) -> None:
        """``location``: a SQLite file's path, or a database URL; by default the one this process is set up for."""
        if location is None:
            url = database_url()
        elif isinstance(location, Path) or "://" not in str(location):
            url = sqlite_url(location)
        else:
            url = str(location)
        self.url = url
        _known_revisions()  # read the migrations now, not later as another user (a test drops privileges)
        path = sqlite_path(url)
        self.server = path is None
        self.path: Path = path if path is not None else Path()
        if self.server:
            self.engine = create_engine(
                url,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=20,
                connect_args={"connect_timeout": SERVER_CONNECT_TIMEOUT},
            )
            self._read_only_engine: Engine | None = None
        else:
            self.engine = self._sqlite_engine("rw")
            self._read_only_engine = self._sqlite_engine("ro")
        self._open()

    @property
    def directory(self):
        """Areas, memberships and the audit trail, in the same database."""
        from assessment.directory import Directory

        if not hasattr(self, "_directory"):
            self._directory = Directory(self.engine, fault=lambda error: self._fault(error, False))
        return self._directory

    # ---- opening ------------------------------------------------------------------------------------------
    def _sqlite_engine(self, mode: str) -> Engine:
        def connect() -> sqlite3.Connection:
            uri = "file:" + quote(str(self.path.absolute())) + f"?mode={mode}"
            if mode == "ro":
                uri += "&immutable=1"
            connection = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA foreign_keys=ON")
            return connection

        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            immediate = connection.get_execution_options().get("immediate")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def _open(self) -> None:
        if self.server:
            self._open_server()
        else:
            self._open_sqlite()

    def _open_server(self) -> None:
        try:
            revision = self._revision(self.engine)
            self._refuse_unknown(revision)
            if revision != _head():
                migrate(self.engine)
        except SQLAlchemyError as error:
            raise StorageError(f"The app cannot use its database. {explain_server(error)}") from error

    def _open_sqlite(self) -> None:
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
                    c.exec_driver_sql("PRAGMA user_version").scalar(),
                    {r[0] for r in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")},
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
                revision = self._read(self._revision_on, starting=True) if "alembic_version" in tables else None
                self._refuse_unknown(revision)
                if revision == _head():
                    return  # the app's database, as it is: nothing to write
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(
                    f"The app cannot create its database at {path}: {error.strerror or error}. "
                    "Set IOM_DB_PATH to a file in a folder it can write to."
                ) from error
        try:
            # Only here may the file be made ("rwc"): everywhere else a missing file is an error, never a new,
            # empty database in its place.
            maker = self._sqlite_engine("rwc")
            raw = maker.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode=WAL")
            finally:
                raw.close()
            migrate(maker)
            maker.dispose()
        except (SQLAlchemyError, OSError) as error:
            raise StorageError(
                f"The app cannot create or upgrade its database at {path}. {explain(error, path)}"
            ) from error

    @staticmethod
    def _revision_on(connection: Connection) -> str | None:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def _revision(self, engine: Engine) -> str | None:
        from sqlalchemy import inspect

        with engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return self._revision_on(connection)

    def _refuse_unknown(self, revision: str | None) -> None:
        if revision is not None and revision not in _known_revisions():
            where = str(self.path) if not self.server else "The shared database"
            raise NewerDatabase(
                f"{'The database ' + where if not self.server else where} was saved by a newer version of this app "
                f"(schema {revision}). Use the newer version of the app. Nothing has been changed."
            )

    # ---- reading and writing --------------------------------------------------------------------------------
    def _read(self, work: Callable[[Connection], T], *, starting: bool = False) -> T:
        """Run ``work`` in one read transaction. A SQLite file or folder the app may not write to is still read."""
        engines = [self.engine] if self.server else [self.engine, self._read_only_engine]
        for engine in engines:
            try:
                with engine.connect() as connection:
                    if self.server:
                        connection = connection.execution_options(isolation_level="REPEATABLE READ")
                    with connection.begin():
                        return work(connection)
            except NotFound:
                raise
            except SQLAlchemyError as error:
                # Reading a WAL database needs its -shm file; in a read-only folder SQLite cannot make it. Nobody
                # can save there, so the file is read as it stands (immutable).
                if engine is self.engine and not self.server and _sqlite_name(error).startswith("SQLITE_READONLY"):
                    continue
                raise self._fault(error, starting) from error
            except OSError as error:
                raise self._fault(error, starting) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _fault(self, error: BaseException, starting: bool) -> StorageError:
        message = explain_server(error) if self.server else explain(error, self.path)
        if starting:
            where = "its database" if self.server else f"its database at {self.path}"
            return StorageError(f"The app cannot use {where}. {message}")
        return StorageError(message)

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction: everything inside is saved, or nothing is.

        SQLite: saves in this process wait their turn on a lock; a save by another process is waited for (the
        busy timeout). PostgreSQL: the assessment's row is locked by the save. Either way a transaction that
        could not get its turn is retried a few times before giving up with a ``StorageError``.
        """
        lock = _write_lock(str(self.path.absolute())) if not self.server else None
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                if lock is None:
                    return self._write_once(work)
                with lock:
                    return self._write_once(work)
            except (NotFound, IntegrityError):
                raise  # the data or the code is wrong, not the storage
            except SQLAlchemyError as error:
                retry = _is_busy(error) if not self.server else _sqlstate(error) in ("40001", "40P01")
                if retry and attempt < WRITE_ATTEMPTS:
                    time.sleep(0.05 * attempt)
                    continue
                raise self._fault(error, False) from error
            except OSError as error:
                raise self._fault(error, False) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _write_once(self, work: Callable[[Connection], T]) -> T:
        with self.engine.connect() as connection:
            connection = connection.execution_options(immediate=True)
            with connection.begin():
                return work(connection)

    # ---- whole assessments --------------------------------------------------------------------------------
    def create(self, assessment: Assessment, *, audit: Audit | None = None) -> Assessment:
        def work(connection: Connection) -> None:
            _insert(connection, assessment)
            _record(connection, assessment.id, assessment.updated_at, audit)

        self._write(work)
        return assessment

    def replace(self, old_id: str, assessment: Assessment, *, audit: Audit | None = None) -> Assessment:
        """Put ``assessment`` in place of ``old_id`` in one transaction (used by import)."""

        def work(connection: Connection) -> None:
            connection.execute(delete(assessments).where(assessments.c.id == old_id))
            _insert(connection, assessment)
            _record(connection, assessment.id, assessment.updated_at, audit)

        self._write(work)
        return assessment

    def save_bank_update(self, assessment: Assessment, update: BankUpdate) -> Assessment:
        """Replace the saved assessment with its migrated answers and keep the list of changes, in one transaction."""

        def work(connection: Connection) -> None:
            connection.execute(delete(assessments).where(assessments.c.id == assessment.id))
            _insert(connection, assessment)
            connection.execute(
                insert(bank_updates).values(
                    assessment_id=assessment.id,
                    from_version=update.from_version,
                    to_version=update.to_version,
                    changes=json.dumps(list(update.changes)),
                    fresh_look=json.dumps(list(update.fresh_look)),
                    made_at=update.made_at.isoformat(),
                )
            )

        self._write(work)
        return assessment

    def bank_update(self, assessment_id: str) -> BankUpdate | None:
        """The list of changes from the last time the assessment was brought up to a newer bank, until dismissed."""
        row = self._read(
            lambda c: c.execute(select(bank_updates).where(bank_updates.c.assessment_id == assessment_id)).first()
        )
        if row is None:
            return None
        return BankUpdate(
            row.from_version,
            row.to_version,
            tuple(json.loads(row.changes)),
            tuple(json.loads(row.fresh_look)),
            datetime.fromisoformat(row.made_at),
        )

    def dismiss_bank_update(self, assessment_id: str) -> None:
        self._write(lambda c: c.execute(delete(bank_updates).where(bank_updates.c.assessment_id == assessment_id)))

    def delete(self, assessment_id: str) -> None:
        self._write(lambda c: c.execute(delete(assessments).where(assessments.c.id == assessment_id)))

    def get(self, assessment_id: str) -> Assessment:
        # One read transaction: the four reads see the same saved state, even while a replace is under way.
        return self._read(lambda c: _select(c, assessment_id))

    def exists(self, assessment_id: str) -> bool:
        return self._read(
            lambda c: c.execute(select(assessments.c.id).where(assessments.c.id == assessment_id)).first() is not None
        )

    def list(self) -> list[AssessmentSummary]:
        answered = (
            select(func.count())
            .where(statement_answers.c.assessment_id == assessments.c.id, statement_answers.c.choice.is_not(None))
            .scalar_subquery()
        )
        query = select(
            assessments.c.id,
            assessments.c.area,
            assessments.c.year,
            assessments.c.bank_version,
            assessments.c.updated_at,
            assessments.c.is_example,
            answered,
        ).order_by(func.lower(assessments.c.area), assessments.c.year.desc(), assessments.c.updated_at.desc())
        rows = self._read(lambda c: c.execute(query).all())
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
                table.name: c.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (assessments, statement_answers, partner_answers, plan_actions)
            }
        )

    def updated_at(self, assessment_id: str) -> datetime | None:
        """When the assessment was last saved (None if it no longer exists): a cheap check for changes."""
        value = self._read(lambda c: c.execute(_UPDATED_AT, {"id": assessment_id}).scalar())
        return datetime.fromisoformat(value) if value else None

    # ---- single changes: one transaction each, applied to what is stored now, read back after the commit ----
    def update_answer(
        self, assessment_id: str, statement_id: str, changes: dict, *, audit: Audit | None = None
    ) -> Saved[StatementAnswer]:
        """Apply ``changes`` to the answer as it is stored now, in one transaction.

        Reading and writing in one transaction, with the assessment locked, means two tabs on one assessment
        never undo each other's changes: each save changes only the fields it names.
        """

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            stored = _answer(connection, assessment_id, statement_id)
            _write_answer(
                connection, assessment_id, statement_id, StatementAnswer.model_validate(stored.model_dump() | changes)
            )
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _answer(c, assessment_id, statement_id)), stamp, previous)

    def update_partner_answer(
        self,
        assessment_id: str,
        partner_id: str,
        indicator_id: str,
        value: PartnerChoice | None,
        *,
        audit: Audit | None = None,
    ) -> Saved[PartnerChoice | None]:
        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            _write_partner(connection, assessment_id, partner_id, indicator_id, value)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        stored = self._read(lambda c: _partner_answer(c, assessment_id, partner_id, indicator_id))
        return Saved(stored, stamp, previous)

    def update_target(
        self, assessment_id: str, principle: int, level: int, *, audit: Audit | None = None
    ) -> Saved[dict[int, int]]:
        """Set one principle's target on the targets as stored now, in one transaction."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            targets = _targets(connection, assessment_id) | {principle: level}
            _write_targets(connection, assessment_id, targets)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _targets(c, assessment_id)), stamp, previous)

    def update_action(
        self, assessment_id: str, action_id: str, changes: dict, *, audit: Audit | None = None
    ) -> Saved[ActionEdit | None]:
        """Apply ``changes`` to the board's record of an action as stored now, in one transaction.

        A record of a suggested action that is back to its defaults is deleted; its value is then None.
        """

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            stored = _action(connection, assessment_id, action_id) or ActionEdit(action_id=action_id)
            edit = ActionEdit.model_validate({**stored.model_dump(), **changes, "action_id": action_id})
            if not edit.own and edit == ActionEdit(action_id=action_id):
                connection.execute(
                    delete(plan_actions).where(
                        plan_actions.c.assessment_id == assessment_id, plan_actions.c.action_id == action_id
                    )
                )
            else:
                _write_action(connection, assessment_id, edit)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _action(c, assessment_id, action_id)), stamp, previous)

    def save_action(
        self, assessment_id: str, edit: ActionEdit, *, audit: Audit | None = None
    ) -> Saved[ActionEdit | None]:
        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            _write_action(connection, assessment_id, edit)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self._read(lambda c: _action(c, assessment_id, edit.action_id)), stamp, previous)

    def delete_action(self, assessment_id: str, action_id: str, *, audit: Audit | None = None) -> Saved[None]:
        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            connection.execute(
                delete(plan_actions).where(
                    plan_actions.c.assessment_id == assessment_id, plan_actions.c.action_id == action_id
                )
            )
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(None, stamp, previous)

    # ---- each agency's own answers, the agreed answers and the inspector's moderation (issue 10) --------------
    def add_respondent(
        self,
        assessment_id: str,
        respondent: Respondent,
        *,
        replace_id: str | None = None,
        bank=None,
        audit: Audit | None = None,
    ) -> Saved[Assessment]:
        """Add a respondent (with any answers they bring), in place of ``replace_id`` if given, and set the
        partnership's answers from everyone's, in one transaction."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            if replace_id is not None:
                connection.execute(
                    delete(respondents).where(
                        respondents.c.assessment_id == assessment_id, respondents.c.id == replace_id
                    )
                )
            _write_respondent(connection, assessment_id, respondent)
            _settle_all(connection, assessment_id, bank)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self.get(assessment_id), stamp, previous)

    def remove_respondent(
        self, assessment_id: str, respondent_id: str, *, bank=None, audit: Audit | None = None
    ) -> Saved[Assessment]:
        """Remove a respondent and their answers, and set the partnership's answers from the others', in one
        transaction. Left with only 'The board, together', the board answers together again with its answers;
        left with nobody, the assessment has no answers and nothing agreed."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            held = _select(connection, assessment_id)
            held.respondent(respondent_id)  # NotFound if someone removed them already
            connection.execute(
                delete(respondents).where(
                    respondents.c.assessment_id == assessment_id, respondents.c.id == respondent_id
                )
            )
            left = [r for r in held.respondents if r.id != respondent_id]
            if len(left) > 1 or (left and not left[0].is_board_together):
                _settle_all(connection, assessment_id, bank)
            else:
                for table in (agreements, statement_answers, partner_answers, respondents):
                    connection.execute(delete(table).where(table.c.assessment_id == assessment_id))
                if left:  # the board's own answers, as it gave them together
                    board = left[0]
                    _insert_answers(
                        connection,
                        held.model_copy(update={"answers": board.answers, "partner_answers": board.partner_answers}),
                    )
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self.get(assessment_id), stamp, previous)

    def update_respondent(
        self, assessment_id: str, respondent_id: str, changes: dict, *, bank=None, audit: Audit | None = None
    ) -> Saved[Assessment]:
        """Change a respondent's name, agency or role (not their answers)."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            fields = {k: v for k, v in changes.items() if k in ("name", "agency", "agency_name", "role")}
            stored = _select(connection, assessment_id).respondent(respondent_id)
            checked = Respondent.model_validate(stored.model_dump() | fields | {"updated_at": stamp})
            connection.execute(
                update(respondents)
                .where(respondents.c.assessment_id == assessment_id, respondents.c.id == respondent_id)
                .values(
                    name=checked.name,
                    agency=checked.agency,
                    agency_name=checked.agency_name,
                    role=checked.role,
                    updated_at=stamp.isoformat(),
                )
            )
            _settle_all(connection, assessment_id, bank)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self.get(assessment_id), stamp, previous)

    def update_respondent_answer(
        self,
        assessment_id: str,
        respondent_id: str,
        statement_id: str,
        changes: dict,
        *,
        bank=None,
        audit: Audit | None = None,
    ) -> Saved[StatementAnswer]:
        """Apply ``changes`` to one respondent's answer as stored now, and set the partnership's answer from
        everyone's, in one transaction."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            stored = _respondent_answer(connection, assessment_id, respondent_id, statement_id)
            answer = StatementAnswer.model_validate(stored.model_dump() | changes)
            key = {"assessment_id": assessment_id, "respondent_id": respondent_id, "statement_id": statement_id}
            where = [getattr(respondent_answers.c, k) == v for k, v in key.items()]
            if answer.is_empty:
                connection.execute(delete(respondent_answers).where(*where))
            else:
                _upsert(
                    connection,
                    respondent_answers,
                    key | {"choice": answer.choice, "evidence": answer.evidence, "na_reason": answer.na_reason},
                    tuple(key),
                )
            _respondent_touched(connection, assessment_id, respondent_id, stamp)
            _settle_statement(connection, assessment_id, statement_id, bank)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(
            self._read(lambda c: _respondent_answer(c, assessment_id, respondent_id, statement_id)), stamp, previous
        )

    def update_respondent_partner_answer(
        self,
        assessment_id: str,
        respondent_id: str,
        partner_id: str,
        indicator_id: str,
        value: PartnerChoice | None,
        *,
        audit: Audit | None = None,
    ) -> Saved[PartnerChoice | None]:
        key = {
            "assessment_id": assessment_id,
            "respondent_id": respondent_id,
            "partner_id": partner_id,
            "indicator_id": indicator_id,
        }
        where = [getattr(respondent_partner_answers.c, k) == v for k, v in key.items()]

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            _select(connection, assessment_id).respondent(respondent_id)  # NotFound if they are gone
            if value is None:
                connection.execute(delete(respondent_partner_answers).where(*where))
            else:
                _upsert(connection, respondent_partner_answers, key | {"value": value}, tuple(key))
            _respondent_touched(connection, assessment_id, respondent_id, stamp)
            _settle_partner(connection, assessment_id, partner_id, indicator_id)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        value_read = self._read(lambda c: c.execute(select(respondent_partner_answers.c.value).where(*where)).scalar())
        return Saved(value_read, stamp, previous)

    def agree(
        self, assessment_id: str, statement_id: str, agreed: Agreed | None, *, bank=None, audit: Audit | None = None
    ) -> Saved[Agreed | None]:
        """Record the agreed answer to a statement (None: back to the proposal), and set the partnership's answer."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            where = (agreements.c.assessment_id == assessment_id, agreements.c.statement_id == statement_id)
            if agreed is None:
                connection.execute(delete(agreements).where(*where))
            else:
                _write_agreed(connection, assessment_id, statement_id, agreed.model_copy(update={"at": stamp}))
            _settle_statement(connection, assessment_id, statement_id, bank)
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        return Saved(self.get(assessment_id).agreed.get(statement_id), stamp, previous)

    def moderate(
        self,
        assessment_id: str,
        moderation: Moderation,
        *,
        remove: bool = False,
        audit: Audit | None = None,
    ) -> Saved[Moderation | None]:
        """Record (or, with ``remove``, take away) an inspector's moderated level for a principle or a statement."""

        def work(connection: Connection) -> tuple[datetime, datetime]:
            stamp, previous = _touch(connection, assessment_id)
            if remove:
                connection.execute(
                    delete(moderations).where(
                        moderations.c.assessment_id == assessment_id,
                        moderations.c.principle == moderation.principle,
                        moderations.c.statement_id == (moderation.statement_id or ""),
                    )
                )
            else:
                _write_moderation(connection, assessment_id, moderation.model_copy(update={"at": stamp}))
            _record(connection, assessment_id, stamp, audit)
            return stamp, previous

        stamp, previous = self._write(work)
        found = self.get(assessment_id).moderated(moderation.principle, moderation.statement_id)
        return Saved(found, stamp, previous)

    def save_targets(self, assessment_id: str, targets: dict[int, int]) -> datetime:
        def work(connection: Connection) -> datetime:
            stamp, _ = _touch(connection, assessment_id)
            _write_targets(connection, assessment_id, targets)
            return stamp

        return self._write(work)


# ---- the statements each save is made of ---------------------------------------------------------------------


@functools.cache
def _head() -> str:
    from assessment.database import _scripts

    return _scripts().get_current_head()


@functools.cache
def _known_revisions() -> frozenset[str]:
    """Every migration this version of the app has (reading them all once, at the first store opened)."""
    from assessment.database import _scripts

    return frozenset(revision.revision for revision in _scripts().walk_revisions())


def _upsert(connection: Connection, table, values: dict, keys: tuple[str, ...]) -> None:
    """Insert a row, or update it where its key is taken (both databases speak ON CONFLICT)."""
    dialect = pg_dialect if connection.dialect.name == "postgresql" else sqlite_dialect
    statement = dialect.insert(table).values(**values)
    changed = {name: statement.excluded[name] for name in values if name not in keys}
    connection.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed))


def _record(connection: Connection, assessment_id: str, stamp: datetime, audit: Audit | None) -> None:
    if audit is None:
        return
    change = Change(
        at=stamp,
        by=audit.by,
        action=audit.action,  # type: ignore[arg-type]
        target=audit.target,
        detail=summarise(audit.detail or {}),
    )
    connection.execute(
        insert(audit_events).values(
            assessment_id=assessment_id,
            at=change.at.isoformat(),
            actor=change.by,
            action=change.action,
            target=change.target,
            detail=json.dumps(change.detail, sort_keys=True),
        )
    )


# The reads every page makes, built once: only their parameters change from call to call.
_ASSESSMENT = select(assessments).where(assessments.c.id == bindparam("id"))
_ANSWERS = select(
    statement_answers.c.statement_id,
    statement_answers.c.choice,
    statement_answers.c.evidence,
    statement_answers.c.na_reason,
).where(statement_answers.c.assessment_id == bindparam("id"))
_PARTNERS = select(partner_answers.c.partner_id, partner_answers.c.indicator_id, partner_answers.c.value).where(
    partner_answers.c.assessment_id == bindparam("id")
)
_PLAN = (
    select(plan_actions.c.edit)
    .where(plan_actions.c.assessment_id == bindparam("id"))
    .order_by(plan_actions.c.action_id)
)
_UPDATED_AT = select(assessments.c.updated_at).where(assessments.c.id == bindparam("id"))


def _select(connection: Connection, assessment_id: str) -> Assessment:
    key = {"id": assessment_id}
    row = connection.execute(_ASSESSMENT, key).first()
    if row is None:
        raise NotFound(
            "No assessment has that link. Check the link, or start or choose an assessment on the Start page."
        )
    answers = connection.execute(_ANSWERS, key).all()
    partners = connection.execute(_PARTNERS, key).all()
    plan = connection.execute(_PLAN, key).all()
    partner_map: dict[str, dict[str, str]] = {}
    for partner_id, indicator_id, value in partners:
        partner_map.setdefault(partner_id, {})[indicator_id] = value
    return Assessment(
        id=row.id,
        area=row.area,
        year=row.year,
        bank_version=row.bank_version,
        created_at=datetime.fromisoformat(row.created_at),
        updated_at=datetime.fromisoformat(row.updated_at),
        is_example=bool(row.is_example),
        targets={int(k): v for k, v in json.loads(row.targets).items()},
        answers={
            sid: StatementAnswer(choice=choice, evidence=evidence, na_reason=na_reason)
            for sid, choice, evidence, na_reason in answers
        },
        partner_answers=partner_map,
        plan={edit.action_id: edit for edit in (ActionEdit.model_validate_json(r[0]) for r in plan)},
        previous_id=row.previous_id,
        **_partnership(connection, key),
    )


def _partnership(connection: Connection, key: dict) -> dict:
    """The respondents with their answers, the agreed answers and the moderation of one assessment."""
    people = connection.execute(_RESPONDENTS, key).all()
    if not people and not connection.execute(_MODERATIONS, key).first():
        return {}
    answers: dict[str, dict[str, StatementAnswer]] = {}
    for rid, sid, choice, evidence, na_reason in connection.execute(_RESPONDENT_ANSWERS, key):
        answers.setdefault(rid, {})[sid] = StatementAnswer(choice=choice, evidence=evidence, na_reason=na_reason)
    grids: dict[str, dict[str, dict[str, str]]] = {}
    for rid, pid, iid, value in connection.execute(_RESPONDENT_PARTNERS, key):
        grids.setdefault(rid, {}).setdefault(pid, {})[iid] = value
    return {
        "respondents": [
            Respondent(
                id=r.id,
                name=r.name,
                agency=r.agency,
                agency_name=r.agency_name,
                role=r.role,
                user=r.user_email,
                created_at=datetime.fromisoformat(r.created_at),
                updated_at=datetime.fromisoformat(r.updated_at),
                answers=answers.get(r.id, {}),
                partner_answers=grids.get(r.id, {}),
            )
            for r in people
        ],
        "agreed": {
            r.statement_id: Agreed(
                choice=r.choice,
                reason=r.reason,
                proposed=r.proposed,
                by=r.agreed_by,
                at=datetime.fromisoformat(r.agreed_at),
            )
            for r in connection.execute(_AGREEMENTS, key)
        },
        "moderation": [
            Moderation(
                principle=r.principle,
                statement_id=r.statement_id or None,
                level=r.level,
                reason=r.reason,
                by=r.moderated_by,
                at=datetime.fromisoformat(r.moderated_at),
            )
            for r in connection.execute(_MODERATIONS, key)
        ],
    }


_RESPONDENTS = (
    select(respondents)
    .where(respondents.c.assessment_id == bindparam("id"))
    .order_by(respondents.c.created_at, respondents.c.id)
)
_RESPONDENT_ANSWERS = select(
    respondent_answers.c.respondent_id,
    respondent_answers.c.statement_id,
    respondent_answers.c.choice,
    respondent_answers.c.evidence,
    respondent_answers.c.na_reason,
).where(respondent_answers.c.assessment_id == bindparam("id"))
_RESPONDENT_PARTNERS = select(
    respondent_partner_answers.c.respondent_id,
    respondent_partner_answers.c.partner_id,
    respondent_partner_answers.c.indicator_id,
    respondent_partner_answers.c.value,
).where(respondent_partner_answers.c.assessment_id == bindparam("id"))
_AGREEMENTS = (
    select(agreements).where(agreements.c.assessment_id == bindparam("id")).order_by(agreements.c.statement_id)
)
_MODERATIONS = (
    select(moderations)
    .where(moderations.c.assessment_id == bindparam("id"))
    .order_by(moderations.c.principle, moderations.c.statement_id)
)


def _respondent_answer(connection: Connection, assessment_id: str, respondent_id: str, statement_id: str):
    row = connection.execute(
        select(respondent_answers.c.choice, respondent_answers.c.evidence, respondent_answers.c.na_reason).where(
            respondent_answers.c.assessment_id == assessment_id,
            respondent_answers.c.respondent_id == respondent_id,
            respondent_answers.c.statement_id == statement_id,
        )
    ).first()
    return StatementAnswer(choice=row[0], evidence=row[1], na_reason=row[2]) if row else StatementAnswer()


def _respondent_touched(connection: Connection, assessment_id: str, respondent_id: str, stamp: datetime) -> None:
    done = connection.execute(
        update(respondents)
        .where(respondents.c.assessment_id == assessment_id, respondents.c.id == respondent_id)
        .values(updated_at=stamp.isoformat())
    )
    if not done.rowcount:
        raise NotFound(
            "That person's answers are no longer saved, so the answer was not saved. Choose who is answering."
        )


def _settle_statement(connection: Connection, assessment_id: str, statement_id: str, bank) -> None:
    """Set the partnership's answer to one statement from the respondents' answers and the agreed answer."""
    assessment = _select(connection, assessment_id)
    if assessment.respondents:
        _write_answer(connection, assessment_id, statement_id, position_answer(assessment, statement_id, bank))


def _settle_partner(connection: Connection, assessment_id: str, partner_id: str, indicator_id: str) -> None:
    value = position_partner(_select(connection, assessment_id), partner_id, indicator_id)
    _write_partner(connection, assessment_id, partner_id, indicator_id, value)


def _write_partner(
    connection: Connection, assessment_id: str, partner_id: str, indicator_id: str, value: str | None
) -> None:
    """One partner answer of the partnership: written, or deleted when there is none."""
    where = (
        partner_answers.c.assessment_id == assessment_id,
        partner_answers.c.partner_id == partner_id,
        partner_answers.c.indicator_id == indicator_id,
    )
    if value is None:
        connection.execute(delete(partner_answers).where(*where))
    else:
        _upsert(
            connection,
            partner_answers,
            {"assessment_id": assessment_id, "partner_id": partner_id, "indicator_id": indicator_id, "value": value},
            ("assessment_id", "partner_id", "indicator_id"),
        )


def _settle_all(connection: Connection, assessment_id: str, bank) -> None:
    """Set every answer of the partnership from the respondents' answers and the agreed answers."""
    assessment = settled(_select(connection, assessment_id), bank)
    connection.execute(delete(statement_answers).where(statement_answers.c.assessment_id == assessment_id))
    connection.execute(delete(partner_answers).where(partner_answers.c.assessment_id == assessment_id))
    _insert_answers(connection, assessment)


def _write_respondent(connection: Connection, assessment_id: str, respondent: Respondent) -> None:
    connection.execute(
        insert(respondents).values(
            assessment_id=assessment_id,
            id=respondent.id,
            name=respondent.name,
            agency=respondent.agency,
            agency_name=respondent.agency_name,
            role=respondent.role,
            user_email=respondent.user,
            created_at=respondent.created_at.isoformat(),
            updated_at=respondent.updated_at.isoformat(),
        )
    )
    rows = [
        {
            "assessment_id": assessment_id,
            "respondent_id": respondent.id,
            "statement_id": sid,
            "choice": a.choice,
            "evidence": a.evidence,
            "na_reason": a.na_reason,
        }
        for sid, a in sorted(respondent.answers.items())
        if not a.is_empty
    ]
    if rows:
        connection.execute(insert(respondent_answers), rows)
    rows = [
        {
            "assessment_id": assessment_id,
            "respondent_id": respondent.id,
            "partner_id": pid,
            "indicator_id": iid,
            "value": value,
        }
        for pid, row in sorted(respondent.partner_answers.items())
        for iid, value in sorted(row.items())
    ]
    if rows:
        connection.execute(insert(respondent_partner_answers), rows)


def _write_agreed(connection: Connection, assessment_id: str, statement_id: str, agreed: Agreed) -> None:
    _upsert(
        connection,
        agreements,
        {
            "assessment_id": assessment_id,
            "statement_id": statement_id,
            "choice": agreed.choice,
            "reason": agreed.reason,
            "proposed": agreed.proposed,
            "agreed_by": agreed.by,
            "agreed_at": agreed.at.isoformat(),
        },
        ("assessment_id", "statement_id"),
    )


def _write_moderation(connection: Connection, assessment_id: str, moderation: Moderation) -> None:
    _upsert(
        connection,
        moderations,
        {
            "assessment_id": assessment_id,
            "principle": moderation.principle,
            "statement_id": moderation.statement_id or "",
            "level": moderation.level,
            "reason": moderation.reason,
            "moderated_by": moderation.by,
            "moderated_at": moderation.at.isoformat(),
        },
        ("assessment_id", "principle", "statement_id"),
    )


def _answer(connection: Connection, assessment_id: str, statement_id: str) -> StatementAnswer:
    row = connection.execute(
        select(statement_answers.c.choice, statement_answers.c.evidence, statement_answers.c.na_reason).where(
            statement_answers.c.assessment_id == assessment_id, statement_answers.c.statement_id == statement_id
        )
    ).first()
    return StatementAnswer(choice=row[0], evidence=row[1], na_reason=row[2]) if row else StatementAnswer()


def _partner_answer(connection: Connection, assessment_id: str, partner_id: str, indicator_id: str) -> Any:
    return connection.execute(
        select(partner_answers.c.value).where(
            partner_answers.c.assessment_id == assessment_id,
            partner_answers.c.partner_id == partner_id,
            partner_answers.c.indicator_id == indicator_id,
        )
    ).scalar()


def _targets(connection: Connection, assessment_id: str) -> dict[int, int]:
    value = connection.execute(select(assessments.c.targets).where(assessments.c.id == assessment_id)).scalar()
    if value is None:
        raise NotFound("That assessment no longer exists. Go to the Start page.")
    return {int(k): v for k, v in json.loads(value).items()}


def _write_targets(connection: Connection, assessment_id: str, targets: dict[int, int]) -> None:
    connection.execute(
        update(assessments)
        .where(assessments.c.id == assessment_id)
        .values(targets=json.dumps({str(k): v for k, v in sorted(targets.items())}))
    )


def _action(connection: Connection, assessment_id: str, action_id: str) -> ActionEdit | None:
    value = connection.execute(
        select(plan_actions.c.edit).where(
            plan_actions.c.assessment_id == assessment_id, plan_actions.c.action_id == action_id
        )
    ).scalar()
    return ActionEdit.model_validate_json(value) if value else None


def _write_action(connection: Connection, assessment_id: str, edit: ActionEdit) -> None:
    _upsert(
        connection,
        plan_actions,
        {"assessment_id": assessment_id, "action_id": edit.action_id, "edit": edit.model_dump_json()},
        ("assessment_id", "action_id"),
    )


def _write_answer(connection: Connection, assessment_id: str, statement_id: str, answer: StatementAnswer) -> None:
    if answer.is_empty:
        connection.execute(
            delete(statement_answers).where(
                statement_answers.c.assessment_id == assessment_id, statement_answers.c.statement_id == statement_id
            )
        )
    else:
        _upsert(
            connection,
            statement_answers,
            {
                "assessment_id": assessment_id,
                "statement_id": statement_id,
                "choice": answer.choice,
                "evidence": answer.evidence,
                "na_reason": answer.na_reason,
            },
            ("assessment_id", "statement_id"),
        )


def _touch(connection: Connection, assessment_id: str) -> tuple[datetime, datetime]:
    """Lock the assessment and mark it as saved now; return now and when it had been saved before."""
    value = connection.execute(
        select(assessments.c.updated_at).where(assessments.c.id == assessment_id).with_for_update()
    ).scalar()
    if value is None:
        raise NotFound("That assessment no longer exists, so the answer was not saved. Go to the Start page.")
    previous = datetime.fromisoformat(value)
    stamp = max(now(), previous + timedelta(microseconds=1))  # always later: a clock step back cannot hide a save
    connection.execute(
        update(assessments).where(assessments.c.id == assessment_id).values(updated_at=stamp.isoformat())
    )
    return stamp, previous


def _area_code(connection: Connection, name: str) -> str:
    """The code of the area record with this name (case and spacing aside), made now if there is none."""
    wanted = " ".join(name.split())
    found = connection.execute(
        select(areas.c.code).where(func.lower(areas.c.name) == wanted.casefold()).order_by(areas.c.code)
    ).scalar()
    if found:
        return found
    taken = set(connection.execute(select(areas.c.code)).scalars())
    base = make_area_code(wanted)
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    connection.execute(insert(areas).values(code=code, name=wanted, region="", created_at=now().isoformat()))
    return code


def _insert(connection: Connection, assessment: Assessment) -> None:
    connection.execute(
        insert(assessments).values(
            id=assessment.id,
            area=assessment.area,
            year=assessment.year,
            bank_version=assessment.bank_version,
            created_at=assessment.created_at.isoformat(),
            updated_at=assessment.updated_at.isoformat(),
            is_example=assessment.is_example,
            targets=json.dumps({str(k): v for k, v in sorted(assessment.targets.items())}),
            previous_id=assessment.previous_id,
            area_code=_area_code(connection, assessment.area),
        )
    )
    rows = [
        {"assessment_id": assessment.id, "action_id": aid, "edit": edit.model_dump_json()}
        for aid, edit in sorted(assessment.plan.items())
    ]
    if rows:
        connection.execute(insert(plan_actions), rows)
    _insert_answers(connection, assessment)
    for respondent in assessment.respondents:
        _write_respondent(connection, assessment.id, respondent)
    for statement_id, agreed in sorted(assessment.agreed.items()):
        _write_agreed(connection, assessment.id, statement_id, agreed)
    for moderation in assessment.moderation:
        _write_moderation(connection, assessment.id, moderation)


def _insert_answers(connection: Connection, assessment: Assessment) -> None:
    rows = [
        {
            "assessment_id": assessment.id,
            "statement_id": sid,
            "choice": a.choice,
            "evidence": a.evidence,
            "na_reason": a.na_reason,
        }
        for sid, a in sorted(assessment.answers.items())
        if not a.is_empty
    ]
    if rows:
        connection.execute(insert(statement_answers), rows)
    rows = [
        {"assessment_id": assessment.id, "partner_id": pid, "indicator_id": iid, "value": value}
        for pid, indicators in sorted(assessment.partner_answers.items())
        for iid, value in sorted(indicators.items())
    ]
    if rows:
        connection.execute(insert(partner_answers), rows)
