"""Shared mode on a real PostgreSQL server that stops being usable while a page is open: a save that fails keeps
the answer selected and says so, with what to do; nothing claims to be saved that was not; never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from assessment import services
from assessment.access import operator
from assessment.store import Store
from questions.loader import get_bank
from tests.app.conftest import texts
from tests.app.test_shared_mode import visit
from tests.postgres import PostgresServer, binaries

BANK = get_bank()
FIRST = BANK.principles[0].statements[0]
OPS = operator("tests")
COORDINATOR = "coord@testshire.example"


def open_testshire(url: str) -> tuple[Store, str]:
    store = Store(url)
    services.add_member(store, actor=OPS, email=COORDINATOR, role="coordinator", area="Testshire")
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=OPS)
    services.answer_statement(store, assessment, FIRST.id, choice="2", actor=OPS)
    return store, assessment.id


def answer_first(assessment_id: str, choice: str):
    at = visit("app_pages/survey.py", email=COORDINATOR, assessment_id=assessment_id)
    assert not at.exception
    radio = at.radio(key=f"{assessment_id}.{FIRST.id}.choice")
    assert radio.value == "2"
    return at, radio


def assert_not_saved(at, assessment_id: str, choice: str) -> None:
    assert not at.exception
    shown = texts(at)
    assert "Your answer was not saved." in shown
    assert "Try again" in shown
    assert "Saved at" not in shown.split("Your answer was not saved.")[1][:200]
    assert at.radio(key=f"{assessment_id}.{FIRST.id}.choice").value == choice  # still selected


def test_a_server_database_made_read_only_keeps_the_answer_on_the_page_and_says_it_was_not_saved(
    postgres_url, monkeypatch
):
    monkeypatch.setenv("IOM_DATABASE_URL", postgres_url)
    store, assessment_id = open_testshire(postgres_url)
    at, radio = answer_first(assessment_id, "2")
    database = postgres_url.rsplit("/", 1)[1]
    admin = create_engine(postgres_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on'))
        # the setting applies to new connections: end the ones the app already holds
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
            ),
            {"d": database},
        )
    admin.dispose()
    radio.set_value("4").run()
    assert_not_saved(at, assessment_id, "4")
    assert "read-only" in texts(at)
    reader = Store(postgres_url)
    assert reader.get(assessment_id).answers[FIRST.id].choice == "2"  # nothing half-written
    reader.engine.dispose()
    store.engine.dispose()


def test_a_server_that_stops_answering_keeps_the_answer_on_the_page_and_says_it_was_not_saved(monkeypatch):
    if binaries() is None:
        pytest.skip("PostgreSQL is not installed")  # the postgres_server fixture fails the run under CI=true
    server = PostgresServer().start()
    try:
        url = server.database()
        monkeypatch.setenv("IOM_DATABASE_URL", url)
        store, assessment_id = open_testshire(url)
        at, radio = answer_first(assessment_id, "2")
        store.engine.dispose()
        server.stop()
        radio.set_value("3").run()
        assert_not_saved(at, assessment_id, "3")
        assert "Traceback" not in texts(at)
    finally:
        server.stop()
