"""The store on both databases: SQLite (local mode) and a real PostgreSQL server (shared mode).

Every save is one transaction applied to what is stored now, so two sessions changing different statements
both keep their change, and for one statement the later save wins. Faults of the database server say what
happened and what to do, and nothing claims to be saved that was not.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from assessment.model import NotFound, StatementAnswer
from assessment.store import Audit, NewerDatabase, StorageError, Store
from tests.factories import make_assessment, make_bank

BANK = make_bank()


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.engine.dispose()


def test_an_assessment_reads_back_as_it_was_saved(store):
    saved = store.create(make_assessment({"s1-1": "3", "s1-2": "na", "s2-1": "dont_know"}, area="Testshire"))
    assert store.get(saved.id) == saved
    assert [(s.area, s.answered) for s in store.list()] == [("Testshire", 3)]
    assert store.find(" testshire", 2026)[0].id == saved.id
    assert store.counts()["statement_answers"] == 3


def test_two_sessions_changing_different_statements_both_keep_their_change(store):
    saved = store.create(make_assessment(area="Testshire"))
    first = store.update_answer(saved.id, "s1-1", {"choice": "2"})
    second = store.update_answer(saved.id, "s1-2", {"choice": "4"})
    assert second.previous == first.stamp  # the second session can tell someone saved before it
    stored = store.get(saved.id).answers
    assert (stored["s1-1"].choice, stored["s1-2"].choice) == ("2", "4")


def test_for_one_statement_the_later_save_wins_and_other_fields_are_kept(store):
    saved = store.create(make_assessment(area="Testshire"))
    store.update_answer(saved.id, "s1-1", {"choice": "2", "evidence": "Minutes"})
    later = store.update_answer(saved.id, "s1-1", {"choice": "3"})
    assert later.value == StatementAnswer(choice="3", evidence="Minutes")
    assert store.get(saved.id).answers["s1-1"] == later.value


def test_saves_from_many_threads_at_once_are_all_kept(store):
    assessments = [store.create(make_assessment(area=f"Area {n}")) for n in range(4)]
    statements = [s.id for _, s in BANK.statements()]
    errors: list[BaseException] = []

    def answer_all(assessment_id: str, offset: int) -> None:
        try:
            for number, statement_id in enumerate(statements):
                if number % 2 == offset:
                    store.update_answer(assessment_id, statement_id, {"choice": str(number % 5)})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=answer_all, args=(a.id, o)) for a in assessments for o in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for assessment in assessments:
        answers = store.get(assessment.id).answers
        assert {sid: a.choice for sid, a in answers.items()} == {s: str(n % 5) for n, s in enumerate(statements)}


def test_a_save_and_its_audit_record_are_one_transaction(store):
    saved = store.create(make_assessment(area="Testshire"), audit=Audit(by="a@example.org", action="start"))
    store.update_answer(
        saved.id, "s1-1", {"choice": "1"}, audit=Audit("a@example.org", "answer", "s1-1", {"choice": "1"})
    )
    with pytest.raises(NotFound):
        store.update_answer("no-such-id-000", "s1-1", {"choice": "1"}, audit=Audit("a@example.org", "answer"))
    history = store.directory.history(saved.id)
    assert [(c.action, c.by) for c in history] == [("start", "a@example.org"), ("answer", "a@example.org")]
    assert history[-1].at == store.get(saved.id).updated_at
    assert store.directory.history("no-such-id-000") == []


def test_deleting_an_assessment_deletes_its_answers(store):
    saved = store.create(make_assessment({"s1-1": "3"}, area="Testshire"))
    store.update_partner_answer(saved.id, "police", "board", "yes")
    store.delete(saved.id)
    assert store.counts() == {"assessments": 0, "statement_answers": 0, "partner_answers": 0, "plan_actions": 0}
    with pytest.raises(NotFound):
        store.get(saved.id)


def test_a_database_from_a_newer_version_is_refused_and_left_as_it_is(database_url):
    Store(database_url).engine.dispose()
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(NewerDatabase, match="newer version of this app"):
        Store(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


def test_a_read_only_server_database_is_read_and_a_save_says_why_it_failed(postgres_url):
    store = Store(postgres_url)
    saved = store.create(make_assessment({"s1-1": "3"}, area="Testshire"))
    store.engine.dispose()
    database = postgres_url.rsplit("/", 1)[1]
    admin = create_engine(postgres_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on'))
    admin.dispose()
    store = Store(postgres_url)
    assert store.get(saved.id).answers["s1-1"].choice == "3"
    with pytest.raises(StorageError, match="read-only") as raised:
        store.update_answer(saved.id, "s1-1", {"choice": "1"})
    assert "You can still read your answers" in str(raised.value)
    assert store.get(saved.id).answers["s1-1"].choice == "3"
    store.engine.dispose()


def test_an_unreachable_server_is_reported_in_plain_words():
    with pytest.raises(StorageError) as raised:
        Store("postgresql+psycopg://iom@127.0.0.1:9/iom")
    assert "cannot be reached" in str(raised.value)
    assert "127.0.0.1" not in str(raised.value)
