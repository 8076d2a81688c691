"""Areas and memberships are kept in the app's database, SQLite or PostgreSQL alike."""

from __future__ import annotations

import pytest

from assessment.access import Membership
from assessment.database import make_engine, migrate
from assessment.directory import Directory
from assessment.model import AssessmentError


@pytest.fixture
def book(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield Directory(engine)
    engine.dispose()


def test_a_renamed_area_keeps_its_code_and_its_members(book):
    area = book.add_area("Testshire", region="North East")
    book.add_membership(Membership("Coordinator@Example.org ", "coordinator", area.code))
    renamed = book.change_area(area.code, name="Testshire and Wear")
    assert renamed.code == area.code == "testshire"
    assert book.user("coordinator@example.org").may("manage", renamed)
    assert book.find_area("testshire and wear") == renamed


def test_memberships_are_listed_and_removed_by_email_role_and_area(book):
    testshire, northshire = book.add_area("Testshire"), book.add_area("Northshire")
    book.add_membership(Membership("a@example.org", "coordinator", testshire.code))
    book.add_membership(Membership("a@example.org", "contributor", northshire.code))
    book.add_membership(Membership("a@example.org", "contributor", northshire.code))  # twice: kept once
    book.add_membership(Membership("b@example.org", "inspector", None, "North East"))
    assert len(book.memberships()) == 3
    assert book.remove_memberships("A@example.org", area_code=northshire.code) == 1
    assert [m.role for m in book.memberships("a@example.org")] == ["coordinator"]
    assert book.memberships("b@example.org")[0].region == "North East"


def test_a_membership_of_an_unknown_area_or_a_bad_email_is_refused(book):
    with pytest.raises(AssessmentError, match="no area"):
        book.add_membership(Membership("a@example.org", "coordinator", "nowhere"))
    with pytest.raises(AssessmentError, match="not an email address"):
        book.add_membership(Membership("not an email", "inspector"))
    assert book.memberships() == []


def test_two_areas_cannot_share_a_name(book):
    book.add_area("Testshire")
    with pytest.raises(AssessmentError, match="already an area"):
        book.add_area(" testshire ")


def test_signing_in_is_remembered(book):
    book.record_sign_in("A@example.org", "Ann")
    book.record_sign_in("a@example.org", "Ann Smith")
    assert [(e, n) for e, n, _ in book.people()] == [("a@example.org", "Ann Smith")]
