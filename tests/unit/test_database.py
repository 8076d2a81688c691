"""One schema for SQLite and PostgreSQL, built by migrations; an existing SQLite file upgrades in place."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect

from assessment.database import make_engine, migrate, migrate_step_by_step, schema_revision
from assessment.directory import Directory
from assessment.store import Store
from tests.factories import make_assessment


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
        assert schema_revision(quick) == schema_revision(stepwise) == "0003"
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


def test_an_existing_sqlite_file_of_the_first_store_upgrades_in_place(tmp_path):
    path = tmp_path / "iom.sqlite3"
    first = Store(path)  # the first store's schema, made by the first store
    kept = first.create(make_assessment({"s1-1": "3"}, area="Testshire"))
    first.create(make_assessment(area="testshire ", year=2025))
    first.create(make_assessment(area="Northshire"))
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE name = 'areas'").fetchone() is None

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)

    assert schema_revision(engine) == "0003"
    assert Store(path).get(kept.id) == kept  # every answer is still there, and the first store still opens it
    book = Directory(engine)
    assert sorted((a.code, a.name) for a in book.areas()) == [("northshire", "Northshire"), ("testshire", "Testshire")]
    assert set(book.area_codes().values()) == {"testshire", "northshire"}
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    engine.dispose()


def test_a_migration_that_fails_half_way_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from alembic.operations import Operations

    path = tmp_path / "iom.sqlite3"
    Store(path).create(make_assessment(area="Testshire"))
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
