"""The SQLite store: every save lands at once, survives a new connection, and fails whole."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from assessment.model import NotFound, StatementAnswer
from assessment.services import AlreadyExists, answer_partner, answer_statement, set_target, start_assessment
from assessment.store import Store
from tests.factories import make_assessment, make_bank

BANK = make_bank()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "iom.sqlite3")


def test_the_store_uses_write_ahead_logging(store):
    connection = sqlite3.connect(store.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_answer_saved_is_there_when_the_store_is_opened_again(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    answer_statement(store, assessment, "s1-1", choice="3")
    answer_statement(store, assessment, "s1-1", evidence="Signed agreement, March")
    answer_statement(store, assessment, "s1-2", choice="not_applicable", na_reason="No such service")
    answer_partner(store, assessment, "police", "board", "yes")
    set_target(store, assessment, 2, 4)
    reopened = Store(store.path).get(assessment.id)
    assert reopened.answers["s1-1"] == StatementAnswer(choice="3", evidence="Signed agreement, March")
    assert reopened.answers["s1-2"].na_reason == "No such service"
    assert reopened.partner_answer("police", "board") == "yes"
    assert reopened.target(2) == 4
    assert reopened.target(1) == 3
    assert reopened == assessment


def test_clearing_an_answer_removes_it(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    answer_statement(store, assessment, "s1-1", choice="3")
    answer_statement(store, assessment, "s1-1", choice=None)
    answer_partner(store, assessment, "police", "board", "yes")
    answer_partner(store, assessment, "police", "board", None)
    assert store.get(assessment.id).answers == {}
    assert store.counts()["statement_answers"] == 0
    assert store.counts()["partner_answers"] == 0


def test_ids_are_long_random_tokens(store):
    ids = {start_assessment(store, BANK, area=f"Area {n}", year=2026).id for n in range(20)}
    assert len(ids) == 20
    assert all(len(i) >= 20 and not i.isdigit() for i in ids)


def test_an_unknown_id_is_not_found(store):
    with pytest.raises(NotFound, match="No assessment has that link"):
        store.get("not-a-real-id-123")


def test_a_second_assessment_for_the_same_area_and_year_is_refused_unless_asked_for(store):
    first = start_assessment(store, BANK, area="Northshire", year=2026)
    with pytest.raises(AlreadyExists) as raised:
        start_assessment(store, BANK, area="  northshire ", year=2026)
    assert raised.value.existing[0].id == first.id
    second = start_assessment(store, BANK, area="Northshire", year=2026, allow_duplicate=True)
    assert {s.id for s in store.find("Northshire", 2026)} == {first.id, second.id}


def test_saving_to_a_deleted_assessment_fails_and_writes_nothing(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    store.delete(assessment.id)
    with pytest.raises(NotFound):
        answer_statement(store, assessment, "s1-1", choice="2")
    assert set(store.counts().values()) == {0}


def test_a_failed_replace_leaves_the_old_assessment_in_place(store):
    old = store.create(make_assessment({"s1-1": "2"}))
    clash = store.create(make_assessment({"s1-1": "4"}, area="Elsewhere"))
    broken = make_assessment({"s1-1": "1"}).model_copy(update={"id": clash.id})  # id already taken
    with pytest.raises(IntegrityError):
        store.replace(old.id, broken)
    assert store.get(old.id).answers["s1-1"].choice == "2"


def test_the_list_counts_answered_statements(store):
    store.create(make_assessment({"s1-1": "2", "s1-2": "dont_know"}))
    [summary] = store.list()
    assert summary.answered == 2
    assert summary.area == "Testshire"


def test_only_the_boards_own_actions_may_be_marked_as_its_own():
    from pydantic import ValidationError

    from assessment.model import ActionEdit

    assert ActionEdit(action_id="own-abc123", own=True, what="Our own idea").own
    with pytest.raises(ValidationError, match="starting 'own-'"):
        ActionEdit(action_id="rule-x@partner:housing:strategic", own=True, what="x")
    with pytest.raises(ValidationError, match="starting 'own-'"):
        ActionEdit(action_id="own-abc123", own=False)


def test_two_tabs_on_one_assessment_keep_each_others_changes(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    tab1, tab2 = store.get(assessment.id), store.get(assessment.id)
    answer_statement(store, tab1, "s1-1", choice="3")
    answer_statement(store, tab2, "s1-1", evidence="Minutes of the March board")  # tab 2 never saw the level
    set_target(store, tab1, 1, 4)
    set_target(store, tab2, 2, 2)
    saved = store.get(assessment.id)
    assert saved.answers["s1-1"] == StatementAnswer(choice="3", evidence="Minutes of the March board")
    assert saved.targets == {1: 4, 2: 2}


def test_updated_at_moves_on_every_save_and_is_none_once_deleted(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    first = store.updated_at(assessment.id)
    answer_statement(store, assessment, "s1-1", choice="1")
    assert store.updated_at(assessment.id) == assessment.updated_at > first
    store.delete(assessment.id)
    assert store.updated_at(assessment.id) is None
