"""Storage faults: a locked, read-only, full, impossible or newer database never loses a saved answer silently.

Each fault is real: a second connection holding the write lock, file permissions (tested as an unprivileged
user when the tests run as root, because root ignores them), a file-size limit in a child process, and a
database stamped with a newer schema version.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from assessment import store as store_module
from assessment.services import answer_statement, start_assessment
from assessment.store import SCHEMA_VERSION, NewerDatabase, StorageError, Store
from tests.factories import make_bank

BANK = make_bank()
ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534


@pytest.fixture
def folder():
    """A folder an unprivileged user may enter (pytest's own temporary folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="iom-faults-"))
    path.chmod(0o777)
    yield path
    path.chmod(0o777)
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


@contextlib.contextmanager
def unprivileged():
    """Run the block as a user that file permissions apply to (root ignores them)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def saved_assessment(path: Path):
    store = Store(path)
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    answer_statement(store, assessment, "s1-1", choice="3")
    return assessment


def test_a_save_waits_for_another_connection_that_holds_the_write_lock(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, other.execute, args=("COMMIT",)).start()
    answer_statement(store, assessment, "s1-1", choice="2")
    other.close()
    assert Store(store.path).get(assessment.id).answers["s1-1"].choice == "2"


def test_a_save_blocked_for_too_long_says_so_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    store = Store(tmp_path / "iom.sqlite3")
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="Another save was still under way"):
            answer_statement(store, assessment, "s1-1", choice="2")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.get(assessment.id).answers == {}
    assert "s1-1" not in assessment.answers


def test_saves_from_many_threads_are_all_kept(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    assessments = [start_assessment(store, BANK, area=f"Area {n}", year=2026) for n in range(8)]
    statements = [s.id for _, s in BANK.statements()]
    errors: list[BaseException] = []

    def answer_all(assessment) -> None:
        try:
            for statement_id in statements:
                answer_statement(store, assessment, statement_id, choice="2")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=answer_all, args=(a,)) for a in assessments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for assessment in assessments:
        assert len(store.get(assessment.id).answers) == len(statements)


def test_a_database_from_a_newer_version_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "iom.sqlite3"
    saved_assessment(path)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version=99")
    with pytest.raises(NewerDatabase, match=r"newer version of this app \(database version 99"):
        Store(path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 99


def test_opening_a_saved_database_writes_nothing(folder):
    path = folder / "iom.sqlite3"
    saved_assessment(path)
    before = digest(folder)
    store = Store(path)
    store.list()
    assert digest(folder) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_new_database_is_created_with_the_schema_version(tmp_path):
    path = tmp_path / "new" / "iom.sqlite3"
    Store(path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_read_only_database_file_can_be_read_and_a_save_says_why_it_failed(folder):
    path = folder / "iom.sqlite3"
    assessment = saved_assessment(path)
    path.chmod(0o644)  # others may read, not write
    with unprivileged():
        store = Store(path)
        held = store.get(assessment.id)
        assert held.answers["s1-1"].choice == "3"
        assert [s.id for s in store.list()] == [assessment.id]
        with pytest.raises(StorageError, match="read-only") as raised:
            answer_statement(store, held, "s1-1", choice="1")
    assert "Ask whoever runs the app" in str(raised.value)
    assert held.answers["s1-1"].choice == "3"
    assert Store(path).get(assessment.id).answers["s1-1"].choice == "3"


def test_a_database_in_a_read_only_folder_can_be_read_and_a_save_says_why_it_failed(folder):
    path = folder / "iom.sqlite3"
    assessment = saved_assessment(path)
    path.chmod(0o666)
    folder.chmod(0o755)  # the folder is root's: others cannot make the -wal and -shm files
    with unprivileged():
        store = Store(path)
        held = store.get(assessment.id)
        assert held.answers["s1-1"].choice == "3"
        with pytest.raises(StorageError, match="read-only"):
            answer_statement(store, held, "s1-1", choice="1")


@pytest.mark.parametrize(
    "make_path",
    [
        lambda tmp: tmp / "a-file" / "iom.sqlite3",  # a folder that is a file
        lambda tmp: tmp,  # a folder, not a file
        lambda tmp: Path("/proc/no-such-process/iom.sqlite3"),
    ],
    ids=["under-a-file", "a-folder", "impossible"],
)
def test_an_unusable_path_is_named_in_a_clear_message(tmp_path, make_path):
    (tmp_path / "a-file").write_text("not a folder")
    path = make_path(tmp_path)
    with pytest.raises(StorageError) as raised:
        Store(path)
    assert str(path) in str(raised.value)
    assert "IOM_DB_PATH" in str(raised.value)


def test_a_file_that_is_not_a_database_is_refused_with_a_message(tmp_path):
    path = tmp_path / "iom.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="not a database this app can read"):
        Store(path)
    assert path.read_text().startswith("these are my notes")


def test_a_full_disk_fails_the_save_with_a_message_and_keeps_what_was_saved(tmp_path):
    """A child process with a file-size limit: the disk is 'full' for it, as it would be on a full volume."""
    path = tmp_path / "iom.sqlite3"
    script = f"""
import resource, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from assessment.model import StatementAnswer
from assessment.services import answer_statement, start_assessment
from assessment.store import StorageError, Store
from tests.factories import make_bank
store = Store({str(path)!r})
assessment = start_assessment(store, make_bank(), area="Northshire", year=2026)
answer_statement(store, assessment, "s1-1", choice="3")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
try:
    for n in range(2000):
        answer_statement(store, assessment, f"note-{{n}}", evidence="x" * 1990)
except StorageError as error:
    print("REFUSED", error)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "REFUSED" in result.stdout
    assert "could not be written" in result.stdout or "full" in result.stdout
    [summary] = Store(path).list()
    assert Store(path).get(summary.id).answers["s1-1"].choice == "3"


def test_a_save_is_read_back_from_the_database(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    saved = answer_statement(store, assessment, "s1-1", choice="3", evidence="  Signed in March  ")
    assert saved.evidence == "Signed in March"
    assert assessment.answers["s1-1"] == saved == Store(store.path).get(assessment.id).answers["s1-1"]


def test_a_save_after_another_tabs_save_brings_the_copy_up_to_date(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    tab_a = start_assessment(store, BANK, area="Northshire", year=2026)
    tab_b = store.get(tab_a.id)
    answer_statement(store, tab_b, "s1-2", choice="4")
    time.sleep(0.001)
    answer_statement(store, tab_a, "s1-1", choice="1")
    assert tab_a.answers["s1-2"].choice == "4"
    assert tab_a == store.get(tab_a.id)
