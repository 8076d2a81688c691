"""One schema for SQLite and PostgreSQL, built by migrations; an existing SQLite file upgrades in place."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect

from assessment.database import make_engine, migrate, migrate_step_by_step, schema_revision
from assessment.directory import Directory
from assessment.store import Store


def schema(engine) -> dict:
    """Tables, their columns (name, nullability), primary keys, foreign keys and indexes, as the database has them."""
    found = inspect(engine)
    return {
        table: {
            "columns": sorted((c["name"], c["nullable"]) for c in found.get_columns(table)),
            "primary key": sorted(found.get_pk_constraint(table)["constrained_columns"]),
            "foreign keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in found.get_foreign_keys(table)
            ),
            "indexes": sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(table)),
        }
        for table in sorted(found.get_table_names())
    }


def test_a_new_database_has_the_same_schema_as_one_built_migration_by_migration(database_url, tmp_path, request):
    if database_url.startswith("sqlite"):
        other_url = f"sqlite:///{tmp_path / 'step-by-step.sqlite3'}"
    else:
        other_url = request.getfixturevalue("postgres_server").database()
    quick, stepwise = make_engine(database_url), make_engine(other_url)
    migrate(quick)
    migrate_step_by_step(stepwise)
    try:
        assert schema(quick) == schema(stepwise)
        assert "audit_events" in schema(quick)
        assert schema_revision(quick) == schema_revision(stepwise) == "0004"
    finally:
        quick.dispose()
        stepwise.dispose()


def test_migrating_twice_changes_nothing(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    before = schema(engine)
    migrate(engine)
    assert schema(engine) == before
    engine.dispose()


FIRST_STORE_SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE assessments (id TEXT PRIMARY KEY, area TEXT NOT NULL, year INTEGER NOT NULL, bank_version TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, is_example INTEGER NOT NULL DEFAULT 0,
    targets TEXT NOT NULL DEFAULT '{}', previous_id TEXT);
CREATE INDEX assessments_area_year ON assessments (area COLLATE NOCASE, year);
CREATE TABLE statement_answers (assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL, choice TEXT, evidence TEXT NOT NULL DEFAULT '', na_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, statement_id));
CREATE TABLE plan_actions (assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL, edit TEXT NOT NULL, PRIMARY KEY (assessment_id, action_id));
CREATE TABLE partner_answers (assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL, indicator_id TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (assessment_id, partner_id, indicator_id));
PRAGMA user_version=1;
"""


def first_store_file(path, rows: list[tuple[str, str, int]]) -> None:
    """A data/iom.sqlite3 as the first store left it (its exact schema), holding (id, area, year) assessments,
    each with a level 3 answer to s1-1."""
    connection = sqlite3.connect(path)
    connection.executescript(FIRST_STORE_SCHEMA)
    for assessment_id, area, year in rows:
        connection.execute(
            "INSERT INTO assessments (id, area, year, bank_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (assessment_id, area, year, "test-1", "2025-01-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00"),
        )
        connection.execute(
            "INSERT INTO statement_answers (assessment_id, statement_id, choice) VALUES (?, 's1-1', '3')",
            (assessment_id,),
        )
    connection.commit()
    connection.close()


def test_an_existing_sqlite_file_of_the_first_store_upgrades_in_place(tmp_path):
    path = tmp_path / "iom.sqlite3"
    first_store_file(
        path,
        [
            ("kept-000000001", "Testshire", 2026),
            ("other-00000001", "testshire ", 2025),
            ("north-00000001", "Northshire", 2026),
        ],
    )

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)

    assert schema_revision(engine) == "0004"
    kept = Store(path).get("kept-000000001")  # every answer is still there
    assert (kept.area, kept.year, kept.answers["s1-1"].choice) == ("Testshire", 2026, "3")
    book = Directory(engine)
    assert sorted((a.code, a.name) for a in book.areas()) == [("northshire", "Northshire"), ("testshire", "Testshire")]
    assert set(book.area_codes().values()) == {"testshire", "northshire"}
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    engine.dispose()


def test_a_migration_that_fails_half_way_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from alembic.operations import Operations

    path = tmp_path / "iom.sqlite3"
    first_store_file(path, [("kept-000000001", "Testshire", 2026)])
    engine = make_engine(f"sqlite:///{path}")
    before = schema(engine)

    real = Operations.create_index

    def fail_late(self, name, *args, **kwargs):
        if name == "ix_assessments_area_code":
            raise RuntimeError("the disk went away")
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(Operations, "create_index", fail_late)
    with pytest.raises(RuntimeError):
        migrate(engine)
    assert schema(make_engine(f"sqlite:///{path}")) == before
    assert schema_revision(engine) is None
