"""Backups of the shared database: `pg_dump`, restored into a new database, give back every assessment as it was.

docs/deploy.md tells whoever runs the service to back up with pg_dump and restore with pg_restore; this is
that procedure, run for real, comparing every assessment's JSON export (answers, plan and history).
"""

from __future__ import annotations

import subprocess

from assessment import services
from assessment.access import operator
from assessment.files.json import export_json
from assessment.store import Audit, Store
from tests.factories import make_assessment


def exports(store: Store) -> dict[str, str]:
    """Every assessment's JSON export, without the time of export."""
    result = {}
    for summary in store.list():
        text = export_json(store.get(summary.id), store.directory.history(summary.id))
        result[summary.id] = "\n".join(line for line in text.splitlines() if '"exported_at"' not in line)
    return result


def test_a_dump_restored_into_a_new_database_gives_back_every_assessment(postgres_server, tmp_path):
    source_url, target_url = postgres_server.database(), postgres_server.database()
    store = Store(source_url)
    for area, choices in (("Testshire", {"s1-1": "3", "s2-1": "na"}), ("Northshire", {"s1-1": "0"})):
        saved = store.create(make_assessment(choices, area=area), audit=Audit("ops", "start"))
        store.update_answer(saved.id, "s1-2", {"choice": "4", "evidence": "Minutes"}, audit=Audit("a@b.org", "answer"))
        store.update_partner_answer(saved.id, "police", "board", "partly")
        store.update_target(saved.id, 2, 4)
    services.add_member(store, actor=operator("t"), email="c@testshire.example", role="coordinator", area="Testshire")
    before = exports(store)
    store.engine.dispose()

    dump = tmp_path / "iom.dump"
    subprocess.run(
        [postgres_server.tool("pg_dump"), "--format=custom", f"--file={dump}", _libpq(source_url)], check=True
    )
    subprocess.run(
        [postgres_server.tool("pg_restore"), "--no-owner", f"--dbname={_libpq(target_url)}", str(dump)], check=True
    )

    restored = Store(target_url)
    assert len(before) == 2
    assert exports(restored) == before
    assert restored.directory.user("c@testshire.example").memberships[0].area_code == "testshire"
    restored.engine.dispose()


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as the PostgreSQL programs take it."""
    return url.replace("postgresql+psycopg://", "postgresql://")
