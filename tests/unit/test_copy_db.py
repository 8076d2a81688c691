"""`python -m assessment copy-db SOURCE TARGET`: every assessment moves, with its answers, area and history."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from assessment import services
from assessment.__main__ import main
from assessment.access import operator
from assessment.database import make_engine
from assessment.directory import Directory
from assessment.files.json import export_json
from assessment.store import Store
from tests.factories import make_bank

BANK = make_bank()


def filled_local_store(path, monkeypatch) -> Store:
    monkeypatch.delenv("IOM_DATABASE_URL", raising=False)
    store = Store(path)
    for area, year in (("Testshire", 2025), ("Testshire", 2026), ("Northshire", 2026)):
        assessment = services.start_assessment(store, BANK, area=area, year=year)
        services.answer_statement(store, assessment, "s1-1", choice="3", evidence="Minutes")
        services.answer_partner(store, assessment, "police", "board", "yes")
        services.add_own_action(store, assessment, what="Agree a referral form")
    services.add_member(
        store, actor=operator("t"), email="coord@testshire.example", role="coordinator", area="Testshire"
    )
    return store


def test_every_assessment_is_copied_from_sqlite_to_the_target_and_counted(database_url, tmp_path, monkeypatch, capsys):
    source = filled_local_store(tmp_path / "local.sqlite3", monkeypatch)
    source_url = f"sqlite:///{source.path}"
    if database_url == source_url:
        database_url = f"sqlite:///{tmp_path / 'target.sqlite3'}"

    assert main(["copy-db", source_url, database_url]) == 0
    out = capsys.readouterr().out
    assert out == (
        "Copied 3 assessments, 3 statement answers, 3 partner answers, 4 plan records, 12 changes in their history, "
        "1 roles. The counts match in both databases.\n"
    )  # Testshire 2026 carries 2025's unfinished action forward

    engine = make_engine(database_url)
    book = Directory(engine)
    assert sorted(a.code for a in book.areas()) == ["northshire", "testshire"]
    assert book.user("coord@testshire.example").memberships[0].area_code == "testshire"
    for summary in source.list():
        assert [c.action for c in book.history(summary.id)] == ["start", "answer", "partner", "plan-add"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM assessments")).scalar_one() == 3
    engine.dispose()


def test_copying_twice_is_refused_and_changes_nothing(tmp_path, monkeypatch, capsys):
    source = filled_local_store(tmp_path / "local.sqlite3", monkeypatch)
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    assert main(["copy-db", f"sqlite:///{source.path}", target]) == 0
    capsys.readouterr()
    assert main(["copy-db", f"sqlite:///{source.path}", target]) == 1
    assert "already in the target database" in capsys.readouterr().err
    assert create_engine(target).connect().execute(text("SELECT count(*) FROM assessments")).scalar_one() == 3


def test_the_copied_assessments_read_back_the_same(tmp_path, monkeypatch):
    source = filled_local_store(tmp_path / "local.sqlite3", monkeypatch)
    target_path = tmp_path / "target.sqlite3"
    assert main(["copy-db", f"sqlite:///{source.path}", f"sqlite:///{target_path}"]) == 0
    target = Store(target_path)
    for summary in source.list():
        assert (
            export_json(target.get(summary.id)).split('"assessment"')[1]
            == export_json(source.get(summary.id)).split('"assessment"')[1]
        )


def test_an_unreachable_target_is_reported_without_a_traceback(tmp_path, monkeypatch, capsys):
    source = filled_local_store(tmp_path / "local.sqlite3", monkeypatch)
    code = main(["copy-db", f"sqlite:///{source.path}", "postgresql+psycopg://nobody@127.0.0.1:9/none"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("The copy failed and nothing was copied:")
    assert "Traceback" not in err
