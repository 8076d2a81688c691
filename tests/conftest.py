"""Fixtures every layer shares: a real PostgreSQL server, and a database URL for each kind of database.

Suites that take ``database_url`` run twice: on an embedded SQLite file and on a fresh database in a real
PostgreSQL server (Debian's, started once per test process). Under CI=true a missing PostgreSQL fails the
run; on a developer's machine those runs skip with a reason.
"""

from __future__ import annotations

import os

import pytest

from tests.postgres import MISSING, PostgresServer, binaries


@pytest.fixture(scope="session")
def postgres_server():
    if binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty PostgreSQL database for one test."""
    url = postgres_server.database()
    yield url
    postgres_server.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'iom.sqlite3'}"
    else:
        yield request.getfixturevalue("postgres_url")
