"""Saving the board's plan: each change in one transaction, own actions, and the plan carried to next year."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.model import ActionEdit, AssessmentError
from assessment.services import add_own_action, delete_action, save_action, start_assessment
from assessment.store import Store
from questions.loader import get_bank

BANK = get_bank()
AID = "p6-plan-the-exit@statement:p6-exit-strategy"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "plan.sqlite3")


def test_saving_an_owner_and_a_status_keeps_the_rest_of_the_record(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    save_action(store, assessment, AID, owner="  Head of IOM  ")
    save_action(store, assessment, AID, status="in_progress", due=date(2026, 12, 1))
    saved = store.get(assessment.id).plan[AID]
    assert (saved.owner, saved.status, saved.due) == ("Head of IOM", "in_progress", date(2026, 12, 1))
    assert assessment.plan[AID] == saved


def test_a_record_put_back_to_its_defaults_is_removed(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    save_action(store, assessment, AID, owner="Head of IOM")
    save_action(store, assessment, AID, owner="")
    assert store.get(assessment.id).plan == {}
    assert assessment.plan == {}


def test_an_invalid_status_is_refused_and_nothing_is_saved(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    with pytest.raises(ValueError, match="status"):
        save_action(store, assessment, AID, status="finished")
    assert store.get(assessment.id).plan == {}


def test_the_board_can_add_and_remove_its_own_action(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    edit = add_own_action(store, assessment, what=" Agree a referral form ", lead="Council", principle=3)
    saved = store.get(assessment.id).plan[edit.action_id]
    assert saved.own and saved.what == "Agree a referral form" and saved.principle == 3
    delete_action(store, assessment, edit.action_id)
    assert store.get(assessment.id).plan == {}


def test_an_own_action_needs_a_description(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    with pytest.raises(AssessmentError, match="What will be done"):
        add_own_action(store, assessment, what="   ")


def test_next_year_s_assessment_brings_last_year_s_unfinished_plan_and_targets(store):
    last_year = start_assessment(store, BANK, area="Northshire", year=2025)
    save_action(store, last_year, AID, owner="Head of IOM", status="in_progress", notes="Draft agreed")
    save_action(store, last_year, "p6-build-motivation@statement:p6-motivation-and-strengths", status="done")
    store.save_targets(last_year.id, {6: 4})
    start_assessment(store, BANK, area="Westshire", year=2025)

    this_year = start_assessment(store, BANK, area=" northshire ", year=2026)
    saved = store.get(this_year.id)
    assert saved.previous_id == last_year.id
    assert saved.targets == {6: 4}
    assert saved.plan == {
        AID: ActionEdit(action_id=AID, owner="Head of IOM", status="in_progress", notes="Draft agreed")
    }


def test_the_first_assessment_of_an_area_has_no_previous_plan(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    assert assessment.previous_id is None and assessment.plan == {}
