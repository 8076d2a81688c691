"""The rules of access: who may read, answer, manage, compare and administer which area."""

from __future__ import annotations

import pytest

from assessment.access import LOCAL_USER, Area, Membership, User, area_code, operator
from assessment.model import AssessmentError

TESTSHIRE = Area("testshire", "Testshire", "North East")
NORTHSHIRE = Area("northshire", "Northshire", "North West")
RIGHTS = ("read", "answer", "manage")


def user(*memberships: tuple) -> User:
    return User(
        email="someone@example.org",
        memberships=tuple(Membership("someone@example.org", *m) for m in memberships),
    )


def rights(person: User, area: Area) -> set[str]:
    return {r for r in RIGHTS if person.may(r, area)}


def test_a_coordinator_manages_answers_and_reads_their_own_area_only():
    coordinator = user(("coordinator", "testshire"))
    assert rights(coordinator, TESTSHIRE) == {"read", "answer", "manage"}
    assert rights(coordinator, NORTHSHIRE) == set()


def test_a_contributor_answers_but_does_not_manage():
    assert rights(user(("contributor", "testshire")), TESTSHIRE) == {"read", "answer"}


def test_an_inspector_reads_every_area_and_changes_nothing():
    inspector = user(("inspector",))
    assert rights(inspector, TESTSHIRE) == rights(inspector, NORTHSHIRE) == {"read"}
    assert inspector.may("compare")


def test_an_inspector_of_a_region_reads_only_that_regions_areas():
    inspector = user(("inspector", None, "north east"))
    assert rights(inspector, TESTSHIRE) == {"read"}
    assert rights(inspector, NORTHSHIRE) == set()


def test_an_admin_manages_memberships_but_reads_no_assessment_by_that_role():
    admin = user(("admin",))
    assert admin.may("administer")
    assert rights(admin, TESTSHIRE) == set()


def test_someone_with_no_role_may_do_nothing():
    stranger = user()
    assert not stranger.has_role
    assert not any(stranger.may(r, a) for r in RIGHTS for a in (TESTSHIRE, NORTHSHIRE))
    assert not stranger.may("compare") and not stranger.may("administer")


def test_the_local_user_and_the_command_line_may_do_everything():
    for person in (LOCAL_USER, operator("ops")):
        assert rights(person, TESTSHIRE) == set(RIGHTS)
        assert person.may("administer")


@pytest.mark.parametrize(
    ("role", "area", "region"),
    [("coordinator", None, None), ("contributor", None, None), ("admin", "testshire", None), ("coordinator", "t", "x")],
)
def test_a_membership_that_makes_no_sense_is_refused_with_a_reason(role, area, region):
    with pytest.raises(AssessmentError):
        Membership("a@example.org", role, area, region)


def test_an_area_code_is_made_from_its_first_name():
    assert area_code("  Tyne and   Wear (North) ") == "tyne-and-wear-north"
