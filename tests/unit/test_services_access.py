"""Every use case checks the acting user's access in one place, and says nothing of what they may not see."""

from __future__ import annotations

import pytest

from assessment import services
from assessment.access import LOCAL_USER, NO_ACCESS, AccessDenied, operator
from assessment.model import AssessmentError
from assessment.store import Store
from tests.factories import make_bank

BANK = make_bank()
OPS = operator("tests")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("IOM_DATABASE_URL", raising=False)
    return Store(tmp_path / "iom.sqlite3")


@pytest.fixture
def people(store):
    """Testshire and Northshire, each with an assessment, and one person in each role."""
    services.add_member(store, actor=OPS, email="coord@testshire.example", role="coordinator", area="Testshire")
    services.add_member(store, actor=OPS, email="helper@testshire.example", role="contributor", area="Testshire")
    services.add_member(store, actor=OPS, email="coord@northshire.example", role="coordinator", area="Northshire")
    services.add_member(store, actor=OPS, email="inspector@hmi.example", role="inspector")
    services.add_member(store, actor=OPS, email="admin@region.example", role="admin")
    who = {
        name: services.signed_in(store, email=email)
        for name, email in {
            "coordinator": "coord@testshire.example",
            "contributor": "helper@testshire.example",
            "other": "coord@northshire.example",
            "inspector": "inspector@hmi.example",
            "admin": "admin@region.example",
            "stranger": "nobody@elsewhere.example",
        }.items()
    }
    who["testshire"] = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=who["coordinator"])
    who["northshire"] = services.start_assessment(store, BANK, area="Northshire", year=2026, actor=who["other"])
    return who


def test_a_coordinator_starts_and_answers_their_own_areas_assessment(store, people):
    testshire = people["testshire"]
    services.answer_statement(store, testshire, "s1-1", choice="3", actor=people["coordinator"])
    services.set_target(store, testshire, 1, 4, actor=people["coordinator"])
    assert store.get(testshire.id).answers["s1-1"].choice == "3"


def test_another_areas_assessment_answers_no_access_and_names_nothing(store, people):
    with pytest.raises(AccessDenied) as refused:
        services.get_assessment(store, people["northshire"].id, actor=people["coordinator"])
    assert str(refused.value) == NO_ACCESS
    with pytest.raises(AccessDenied):
        services.answer_statement(store, people["northshire"], "s1-1", choice="0", actor=people["coordinator"])
    assert store.get(people["northshire"].id).answers == {}


def test_a_contributor_answers_but_cannot_change_the_plan(store, people):
    testshire, contributor = people["testshire"], people["contributor"]
    services.answer_statement(store, testshire, "s1-2", evidence="Minutes, May", actor=contributor)
    with pytest.raises(AccessDenied):
        services.set_target(store, testshire, 2, 4, actor=contributor)
    with pytest.raises(AccessDenied):
        services.add_own_action(store, testshire, what="Meet", actor=contributor)
    with pytest.raises(AccessDenied):
        services.start_assessment(store, BANK, area="Testshire", year=2027, actor=contributor)


def test_an_inspector_reads_every_area_and_changes_nothing(store, people):
    inspector = people["inspector"]
    assert {s.area for s in services.list_assessments(store, actor=inspector)} == {"Testshire", "Northshire"}
    assert services.get_assessment(store, people["testshire"].id, actor=inspector).area == "Testshire"
    for change in (
        lambda: services.answer_statement(store, people["testshire"], "s1-1", choice="1", actor=inspector),
        lambda: services.answer_partner(store, people["testshire"], "police", "board", "no", actor=inspector),
        lambda: services.save_action(store, people["testshire"], "x", owner="Me", actor=inspector),
        lambda: services.start_assessment(store, BANK, area="Testshire", year=2027, actor=inspector),
    ):
        with pytest.raises(AccessDenied):
            change()
    assert store.get(people["testshire"].id).answers == {}


def test_an_inspector_of_a_region_sees_only_that_regions_areas(store, people):
    testshire = services.directory(store).find_area("Testshire")
    services.change_area(store, actor=OPS, code=testshire.code, region="North East")
    services.add_member(store, actor=OPS, email="ne@hmi.example", role="inspector", region="North East")
    regional = services.signed_in(store, email="ne@hmi.example")
    assert [s.area for s in services.list_assessments(store, actor=regional)] == ["Testshire"]


def test_the_start_list_holds_only_what_the_user_may_see(store, people):
    assert [s.area for s in services.list_assessments(store, actor=people["coordinator"])] == ["Testshire"]
    assert services.list_assessments(store, actor=people["stranger"]) == []
    assert services.list_assessments(store, actor=people["admin"]) == []


def test_an_area_renamed_keeps_its_assessments(store, people):
    code = services.directory(store).find_area("Testshire").code
    services.change_area(store, actor=people["admin"], code=code, name="Testshire and Wear")
    assert [s.id for s in services.list_assessments(store, actor=people["coordinator"])] == [people["testshire"].id]


def test_only_an_admin_manages_memberships_and_the_last_admin_stays(store, people):
    with pytest.raises(AccessDenied):
        services.add_member(store, actor=people["coordinator"], email="x@example.org", role="admin")
    with pytest.raises(AssessmentError, match="last admin"):
        services.remove_member(store, actor=people["admin"], email="admin@region.example")
    removed = services.remove_member(store, actor=people["admin"], email="helper@testshire.example")
    assert removed == 1
    assert not services.signed_in(store, email="helper@testshire.example").has_role


def test_an_upload_for_another_area_is_refused_and_saves_nothing(store, people):
    from assessment.files.json import export_json

    data = export_json(store.get(people["northshire"].id)).encode()
    store.delete(people["northshire"].id)
    before = store.counts()
    outcome = services.import_returns(store, BANK, [("north.json", data)], actor=people["coordinator"])[0]
    assert outcome.status == "refused"
    assert store.counts() == before


def test_in_shared_mode_the_implicit_local_user_is_refused(store, people, monkeypatch):
    monkeypatch.setenv("IOM_DATABASE_URL", f"sqlite:///{store.path}")
    with pytest.raises(AccessDenied, match="Sign in"):
        services.list_assessments(store, actor=LOCAL_USER)
    with pytest.raises(AccessDenied, match="Sign in"):
        services.answer_statement(store, people["testshire"], "s1-1", choice="4")
    assert store.get(people["testshire"].id).answers == {}
