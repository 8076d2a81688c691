"""The audit trail: every change records who (in shared mode) and when; notes are never copied into it."""

from __future__ import annotations

import json

import pytest

from assessment import services
from assessment.access import operator
from assessment.audit import describe
from assessment.files.json import export_json, read_json
from assessment.store import Store
from tests.factories import make_bank

BANK = make_bank()


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("IOM_DATABASE_URL", raising=False)
    return Store(tmp_path / "iom.sqlite3")


def test_every_change_is_recorded_in_order_with_when_and_what(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    services.answer_statement(store, assessment, "s1-1", choice="3")
    services.answer_statement(store, assessment, "s1-1", evidence="Minutes of the March board")
    services.answer_partner(store, assessment, "police", "board", "yes")
    services.set_target(store, assessment, 2, 4)
    own = services.add_own_action(store, assessment, what="Agree a shared referral form")
    services.save_action(store, assessment, own.action_id, status="in_progress", notes="Draft sent")
    services.delete_action(store, assessment, own.action_id)

    changes = services.history(store, assessment, actor=services.LOCAL_USER)
    assert [c.action for c in changes] == [
        "start",
        "answer",
        "answer",
        "partner",
        "target",
        "plan-add",
        "plan",
        "plan-remove",
    ]
    assert all(c.who == "this computer" for c in changes)
    assert [c.at for c in changes] == sorted(c.at for c in changes)
    assert changes[-1].at == store.get(assessment.id).updated_at
    assert describe(changes[1], BANK) == "Statement 1.1: answer 3 Established"
    assert describe(changes[2], BANK) == "Statement 1.1: evidence note changed"
    assert describe(changes[6], BANK) == f"Action plan, {own.action_id}: notes changed, status In progress"


def test_the_text_of_a_note_never_reaches_the_trail(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    services.answer_statement(store, assessment, "s1-1", evidence="PNC 12/345678A was discussed")
    services.answer_statement(store, assessment, "s1-1", evidence="")
    trail = json.dumps(
        [c.model_dump(mode="json") for c in services.history(store, assessment, actor=services.LOCAL_USER)]
    )
    assert "345678" not in trail
    assert '"evidence": "cleared"' in trail


def test_in_shared_mode_the_trail_names_the_signed_in_person(store):
    services.add_member(
        store, actor=operator("t"), email="coord@testshire.example", role="coordinator", area="Testshire"
    )
    coordinator = services.signed_in(store, email="coord@testshire.example")
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=coordinator)
    services.answer_statement(store, assessment, "s1-1", choice="2", actor=coordinator)
    assert {c.who for c in services.history(store, assessment, actor=coordinator)} == {"coord@testshire.example"}


def test_the_json_export_carries_the_history_and_still_reads_back(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    services.answer_statement(store, assessment, "s1-1", choice="4")
    history = services.history(store, assessment, actor=services.LOCAL_USER)
    data = export_json(store.get(assessment.id), history)
    raw = json.loads(data)
    assert [c["action"] for c in raw["history"]] == ["start", "answer"]
    assert raw["history"][1]["detail"] == {"choice": "4"}
    assert read_json(BANK, data.encode()).assessment.answers["s1-1"].choice == "4"
