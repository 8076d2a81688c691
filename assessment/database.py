"""The one database schema, for SQLite (local mode) and PostgreSQL (shared mode), and its migrations.

Local mode keeps an embedded SQLite file (``IOM_DB_PATH``, default ``data/iom.sqlite3``). Shared mode is on
when ``IOM_DATABASE_URL`` is set (for example ``postgresql+psycopg://iom@db.example/iom``): sign-in is then
required. The tables are declared once here; Alembic migrations in ``assessment/migrations`` build and
upgrade them (migration 1 is the schema of the first SQLite store, so an existing file upgrades in place).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.engine import make_url

URL_ENV = "IOM_DATABASE_URL"
DB_ENV = "IOM_DB_PATH"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "iom.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostgreSQL advisory lock held while migrating, so that several app processes starting at once migrate once.
MIGRATION_LOCK = 7_300_915

metadata = MetaData()

# ---- the assessments (migration 1: the first SQLite store's schema) ---------------------------------------------
assessments = Table(
    "assessments",
    metadata,
    Column("id", Text, primary_key=True),
    Column("area", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("bank_version", Text, nullable=False),
    Column("created_at", Text, nullable=False),  # ISO 8601 with the time zone, as the first store wrote them
    Column("updated_at", Text, nullable=False),
    Column("is_example", Boolean, nullable=False, server_default=false()),
    Column("targets", Text, nullable=False, server_default="{}"),
    Column("previous_id", Text),
    Column("area_code", String(60), ForeignKey("areas.code"), index=True),  # migration 2
)
Index("assessments_area_year", assessments.c.area, assessments.c.year)

statement_answers = Table(
    "statement_answers",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", Text, primary_key=True),
    Column("choice", Text),
    Column("evidence", Text, nullable=False, server_default=""),
    Column("na_reason", Text, nullable=False, server_default=""),
)

plan_actions = Table(
    "plan_actions",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", Text, primary_key=True),
    Column("edit", Text, nullable=False),
)

partner_answers = Table(
    "partner_answers",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", Text, primary_key=True),
    Column("indicator_id", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# An assessment brought up to a newer question bank: what changed, until the board dismisses it (migration 3).
bank_updates = Table(
    "bank_updates",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("from_version", Text, nullable=False),
    Column("to_version", Text, nullable=False),
    Column("changes", Text, nullable=False),
    Column("fresh_look", Text, nullable=False),
    Column("made_at", Text, nullable=False),
)

# ---- each agency's own answers, the agreed answers and the inspector's moderation (migration 4, issue 10) ---------
# A respondent's id is unique within its assessment (an imported copy of an assessment keeps its respondents' ids).
respondents = Table(
    "respondents",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False, server_default=""),
    Column("agency", Text, nullable=False),
    Column("agency_name", Text, nullable=False, server_default=""),
    Column("role", Text, nullable=False, server_default=""),
    Column("user_email", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

respondent_answers = Table(
    "respondent_answers",
    metadata,
    Column("assessment_id", Text, primary_key=True),
    Column("respondent_id", Text, primary_key=True),
    Column("statement_id", Text, primary_key=True),
    Column("choice", Text),
    Column("evidence", Text, nullable=False, server_default=""),
    Column("na_reason", Text, nullable=False, server_default=""),
    ForeignKeyConstraint(
        ["assessment_id", "respondent_id"], ["respondents.assessment_id", "respondents.id"], ondelete="CASCADE"
    ),
)

respondent_partner_answers = Table(
    "respondent_partner_answers",
    metadata,
    Column("assessment_id", Text, primary_key=True),
    Column("respondent_id", Text, primary_key=True),
    Column("partner_id", Text, primary_key=True),
    Column("indicator_id", Text, primary_key=True),
    Column("value", Text, nullable=False),
    ForeignKeyConstraint(
        ["assessment_id", "respondent_id"], ["respondents.assessment_id", "respondents.id"], ondelete="CASCADE"
    ),
)

agreements = Table(
    "agreements",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", Text, primary_key=True),
    Column("choice", Text, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("proposed", Text),
    Column("agreed_by", Text, nullable=False, server_default=""),
    Column("agreed_at", Text, nullable=False),
)

moderations = Table(
    "moderations",
    metadata,
    Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("principle", Integer, primary_key=True),
    Column("statement_id", Text, primary_key=True, server_default=""),  # '' for the principle as a whole
    Column("level", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("moderated_by", Text, nullable=False, server_default=""),
    Column("moderated_at", Text, nullable=False),
)

# ---- areas, people and their roles, and the audit trail (migration 2) -------------------------------------------
areas = Table(
    "areas",
    metadata,
    Column("code", String(60), primary_key=True),
    Column("name", Text, nullable=False),
    Column("region", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    # The email the identity provider vouches for; no password is ever stored by this app.
    Column("email", Text, primary_key=True),
    Column("name", Text, nullable=False, server_default=""),
    Column("first_seen", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", Text, nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("area_code", String(60), ForeignKey("areas.code", ondelete="CASCADE")),
    Column("region", Text),
    Column("created_at", Text, nullable=False),
    Column("created_by", Text, nullable=False, server_default=""),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # No foreign key: the trail of a deleted or replaced assessment is kept.
    Column("assessment_id", Text, nullable=False, index=True),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False, server_default=""),
    Column("action", String(40), nullable=False),
    Column("target", Text, nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default="{}"),
)


def default_path() -> Path:
    value = os.environ.get(DB_ENV, "").strip()
    return Path(value) if value else DEFAULT_DB


def shared_url() -> str | None:
    """The shared database's URL when the app runs in shared mode, else None."""
    value = os.environ.get(URL_ENV, "").strip()
    return value or None


def is_shared_mode() -> bool:
    """Shared mode: ``IOM_DATABASE_URL`` is set, and every user signs in."""
    return shared_url() is not None


def database_url() -> str:
    """The database this process uses: the shared one, or the local SQLite file."""
    return shared_url() or sqlite_url(default_path())


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).absolute()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for any other database)."""
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite with foreign keys, write-ahead logging and a busy timeout; else as given."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 10})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:
            # SQLAlchemy, not the sqlite3 module, says where transactions begin, so a migration's DDL and a save's
            # statements are one transaction each (SQLAlchemy's documented recipe for pysqlite).
            connection.isolation_level = None
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection) -> None:
            connection.exec_driver_sql("BEGIN")

        return engine
    return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _config():
    """A new Alembic configuration per migration: it carries the connection, so it is never shared."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache
def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def migrate(engine: Engine) -> None:
    """Bring the database's schema up to date (a new database gets every table; an old one is upgraded).

    An empty database is built from the tables declared here and marked as being at the newest migration
    (Alembic's recipe; a test checks it gives the same schema as running every migration), which is quick
    enough for a test to make a database of its own.
    """
    from alembic import command
    from alembic.migration import MigrationContext

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if not inspect(connection).get_table_names():
            metadata.create_all(connection)
            MigrationContext.configure(connection).stamp(_scripts(), "head")
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA user_version = 1")
            return
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def migrate_step_by_step(engine: Engine) -> None:
    """Run every migration in turn, even on an empty database (tests compare the result with ``migrate``)."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before any migration)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
