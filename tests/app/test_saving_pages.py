"""Pages under storage faults: a locked or read-only database, an unusable path, a newer database.

A failed save keeps the page and the answer, and says what went wrong and what to do; pages that only read
keep working; start-up names the path it cannot use. Every fault is real (see tests/unit/test_store_faults.py).
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest

from assessment import store as store_module
from assessment.services import answer_statement, start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.app.conftest import open_page, texts
from tests.unit.test_store_faults import unprivileged

BANK = get_bank()
FIRST, SECOND = BANK.principles[0].statements[:2]


@pytest.fixture
def shared_folder(monkeypatch):
    """A database in a folder an unprivileged user may enter (pytest's temporary folders are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="iom-pages-"))
    folder.chmod(0o777)
    path = folder / "iom.sqlite3"
    monkeypatch.setenv("IOM_DB_PATH", str(path))
    yield path
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def test_a_save_blocked_by_another_process_keeps_the_answer_and_can_be_tried_again(store, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is saving, for longer than the page waits
    try:
        at.radio(key=f"{assessment.id}.{FIRST.id}.choice").set_value("3").run()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not at.exception
    assert "Your answer was not saved." in texts(at)
    assert "Try again" in texts(at)
    assert at.radio(key=f"{assessment.id}.{FIRST.id}.choice").value == "3"  # still selected
    assert store.get(assessment.id).answers == {}
    at.button(key=f"survey.retry.{FIRST.id}").click().run()
    assert store.get(assessment.id).answers[FIRST.id].choice == "3"
    assert "Your answer was not saved." not in texts(at)
    assert "Saved at" in texts(at)


def test_a_read_only_database_can_be_read_and_a_save_says_what_to_do(shared_folder):
    store = Store(shared_folder)
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    answer_statement(store, assessment, FIRST.id, choice="2")
    shared_folder.chmod(0o644)
    with unprivileged():
        results = open_page("app_pages/results.py", assessment.id)
        assert not results.exception
        assert f"1 of {sum(1 for _ in BANK.statements())}" in texts(results)
        survey = open_page("app_pages/survey.py", assessment.id)
        assert survey.radio(key=f"{assessment.id}.{FIRST.id}.choice").value == "2"
        survey.radio(key=f"{assessment.id}.{SECOND.id}.choice").set_value("4").run()
    assert not survey.exception
    shown = texts(survey)
    assert "Your answer was not saved." in shown
    assert "read-only" in shown
    assert "Ask whoever runs the app" in shown
    assert survey.radio(key=f"{assessment.id}.{SECOND.id}.choice").value == "4"
    assert SECOND.id not in Store(shared_folder).get(assessment.id).answers


@pytest.mark.parametrize("page", ["app_pages/start.py", "app_pages/survey.py", "app_pages/compare.py"])
def test_start_up_names_a_database_path_it_cannot_use(tmp_path, monkeypatch, page):
    (tmp_path / "a-file").write_text("not a folder")
    path = tmp_path / "a-file" / "iom.sqlite3"
    monkeypatch.setenv("IOM_DB_PATH", str(path))
    at = open_page(page)
    assert not at.exception
    [error] = at.error
    assert str(path) in error.value
    assert "IOM_DB_PATH" in error.value


def test_a_database_from_a_newer_version_is_refused_with_a_message(tmp_path, monkeypatch):
    path = tmp_path / "iom.sqlite3"
    Store(path)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version=99")
    monkeypatch.setenv("IOM_DB_PATH", str(path))
    at = open_page("app_pages/start.py")
    assert not at.exception
    assert "newer version of this app" in at.error[0].value
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 99


def test_a_change_made_in_another_tab_is_shown_and_not_saved_back(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    at.radio(key=f"{assessment.id}.{FIRST.id}.choice").set_value("1").run()
    other_tab = store.get(assessment.id)
    answer_statement(store, other_tab, FIRST.id, choice="4")
    answer_statement(store, other_tab, SECOND.id, evidence="From the other tab")
    at.radio(key=f"{assessment.id}.{SECOND.id}.choice").set_value("2").run()  # this tab answers another
    at.run()
    saved = store.get(assessment.id).answers
    assert saved[FIRST.id].choice == "4"
    assert saved[SECOND.id].choice == "2"
    assert saved[SECOND.id].evidence == "From the other tab"
    assert at.radio(key=f"{assessment.id}.{FIRST.id}.choice").value == "4"
    assert at.text_area(key=f"{assessment.id}.{SECOND.id}.evidence").value == "From the other tab"
