"""Each agency's own answers, the agreed answers and the inspector's moderation, saved on SQLite and PostgreSQL
(issue 10): kept apart from each other, the partnership's answers set from them in the same transaction, every
change in the audit trail, and who may do what checked in the services."""

from __future__ import annotations

import pytest

from assessment import services
from assessment.access import AccessDenied, Area, Membership, User, operator
from assessment.model import AssessmentError, StatementAnswer
from assessment.scoring import score
from assessment.store import Store
from tests.factories import make_bank

BANK = make_bank()
FIRST, SECOND = "s1-1", "s1-2"


@pytest.fixture
def store(database_url, monkeypatch):
    monkeypatch.delenv("IOM_DATABASE_URL", raising=False)
    store = Store(database_url)
    yield store
    store.engine.dispose()


def three_agencies(store: Store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    police = services.add_respondent(store, BANK, assessment, agency="police", name="Sam", role="Inspector")
    housing = services.add_respondent(store, BANK, assessment, agency="housing")
    charity = services.add_respondent(store, BANK, assessment, agency="other", agency_name="St Mungo's")
    for respondent, first, second in ((police, "4", "2"), (housing, "1", "2"), (charity, "2", "dont_know")):
        services.answer_as(store, BANK, assessment, respondent.id, FIRST, choice=first, evidence=f"{first} seen")
        services.answer_as(store, BANK, assessment, respondent.id, SECOND, choice=second)
    return assessment, (police, housing, charity)


def test_each_respondents_answers_are_kept_apart_and_the_partnership_answer_is_proposed(store):
    assessment, (police, _, _) = three_agencies(store)
    saved = store.get(assessment.id)
    assert [r.answer(FIRST).choice for r in saved.respondents] == ["4", "1", "2"]
    assert saved.respondent(police.id).answer(FIRST).evidence == "4 seen"
    assert saved.answers[FIRST].choice == "2"  # median of 1, 2, 4
    assert saved.answers[SECOND].choice == "2"  # Don't know counted, not scored
    assert saved.answers[FIRST].evidence == "Police (Sam): 4 seen\nHousing: 1 seen\nSt Mungo's: 2 seen"
    assert saved == assessment  # the copy in memory is in step with the database
    assert sum(len(r.answers) for r in saved.respondents) == 6


def test_an_agreed_level_is_kept_with_its_reason_who_and_when_and_used_in_the_scores(store):
    assessment, _ = three_agencies(store)
    with pytest.raises(AssessmentError, match="reason"):
        services.agree(store, BANK, assessment, FIRST, choice="3")
    services.agree(store, BANK, assessment, FIRST, choice="3", reason="The board minutes show it")
    services.agree(store, BANK, assessment, SECOND, choice="2")  # the proposal accepted
    saved = store.get(assessment.id)
    assert (saved.agreed[FIRST].choice, saved.agreed[FIRST].reason, saved.agreed[FIRST].proposed) == (
        "3",
        "The board minutes show it",
        "2",
    )
    assert saved.agreed[FIRST].at > saved.created_at
    assert score(BANK, saved).principle(1).results[0].level == 3
    services.agree(store, BANK, assessment, FIRST, choice=None)  # withdrawn: back to the proposal
    assert store.get(assessment.id).answers[FIRST].choice == "2"


def test_the_boards_earlier_answers_become_one_respondent_when_agencies_start_answering(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    services.answer_statement(store, assessment, FIRST, choice="3")
    services.answer_partner(store, assessment, "police", "board", "yes")
    before = score(BANK, store.get(assessment.id))
    services.add_respondent(store, BANK, assessment, agency="probation")
    saved = store.get(assessment.id)
    assert [r.agency_name for r in saved.respondents] == [services.BOARD_TOGETHER, ""]
    assert saved.respondents[0].answer(FIRST).choice == "3"
    assert score(BANK, saved) == before  # nothing moves until the new agency answers


def test_choosing_the_same_agency_again_carries_on_with_its_answers(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    first = services.add_respondent(store, BANK, assessment, agency="police")
    assert services.add_respondent(store, BANK, assessment, agency="police").id == first.id
    assert len(store.get(assessment.id).respondents) == 1


def test_partner_answers_of_each_agency_and_the_proposed_one(store):
    assessment, (police, housing, charity) = three_agencies(store)
    for respondent, value in ((police, "yes"), (housing, "no"), (charity, "partly")):
        services.answer_partner_as(store, BANK, assessment, respondent.id, "housing", "board", value)
    saved = store.get(assessment.id)
    assert saved.partner_answers["housing"]["board"] == "partly"
    assert saved.respondent(housing.id).partner_answer("housing", "board") == "no"


def test_an_inspectors_moderation_is_saved_beside_the_self_assessment_and_can_be_removed(store):
    assessment, _ = three_agencies(store)
    services.moderate(store, assessment, principle=1, level=1, reason="Minutes show less")
    services.moderate(store, assessment, principle=1, statement_id=FIRST, level=2, reason="Seen in the file")
    saved = store.get(assessment.id)
    assert (saved.moderated(1).level, saved.moderated(1, FIRST).level) == (1, 2)
    assert saved.answers[FIRST].choice == "2"  # moderation never changes the board's answers
    services.moderate(store, assessment, principle=1, level=None)
    assert store.get(assessment.id).moderated(1) is None


def test_every_change_is_in_the_audit_trail_without_the_text_of_notes(store):
    assessment, _ = three_agencies(store)
    services.agree(store, BANK, assessment, FIRST, choice="3", reason="Minutes")
    services.moderate(store, assessment, principle=1, level=1, reason="Minutes show less")
    changes = services.history(store, assessment, actor=services.LOCAL_USER)
    actions = [c.action for c in changes]
    assert actions.count("respondent") == 3
    assert actions.count("respondent-answer") == 6
    assert actions[-2:] == ["agree", "moderate"]
    assert changes[-2].detail["reason"] == "changed"
    from assessment.audit import describe

    assert describe(changes[-2], BANK) == "Statement 1.1: agreed 3 Established (set with a reason)"
    assert describe(changes[4], BANK) == "Police, statement 1.1: answer 4 Embedded, evidence note changed"
    assert describe(changes[-1], BANK) == "Principle 1, the principle: inspected level 1"


def test_a_whole_assessment_with_respondents_reads_back_as_it_was_saved(store):
    assessment, _ = three_agencies(store)
    services.agree(store, BANK, assessment, FIRST, choice="3", reason="Minutes")
    services.moderate(store, assessment, principle=2, level=3, reason="Good")
    saved = store.get(assessment.id)
    copy = saved.model_copy(update={"id": "a-copy-of-it-1234"})
    store.create(copy)
    assert store.get(copy.id) == copy


# ---- who may do what (shared mode's roles, checked in the services) --------------------------------------------


def shared_people(store: Store):
    book = services.directory(store)
    area = book.add_area("Testshire")
    people = {
        "coordinator": ("coord@testshire.example", "coordinator", area.code, None),
        "contributor": ("police@testshire.example", "contributor", area.code, None),
        "other": ("housing@testshire.example", "contributor", area.code, None),
        "inspector": ("hmi@inspectorate.example", "inspector", None, None),
    }
    users = {}
    for key, (email, role, code, region) in people.items():
        book.add_membership(Membership(email=email, role=role, area_code=code, region=region), by="test")
        users[key] = book.user(email)
    return area, users


def test_a_contributor_answers_as_themselves_and_cannot_change_anyone_elses_answers(store):
    _, users = shared_people(store)
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=users["coordinator"])
    mine = services.add_respondent(store, BANK, assessment, agency="police", actor=users["contributor"])
    assert mine.user == "police@testshire.example"
    assert services.add_respondent(store, BANK, assessment, agency="housing", actor=users["contributor"]).id == mine.id
    services.answer_as(store, BANK, assessment, mine.id, FIRST, choice="3", actor=users["contributor"])
    with pytest.raises(AccessDenied, match="only your own answers"):
        services.answer_as(store, BANK, assessment, mine.id, FIRST, choice="0", actor=users["other"])
    assert store.get(assessment.id).respondent(mine.id).answer(FIRST) == StatementAnswer(choice="3")


def test_only_a_coordinator_agrees_and_only_an_inspector_moderates(store):
    _, users = shared_people(store)
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=users["coordinator"])
    mine = services.add_respondent(store, BANK, assessment, agency="police", actor=users["contributor"])
    services.answer_as(store, BANK, assessment, mine.id, FIRST, choice="3", actor=users["contributor"])
    with pytest.raises(AccessDenied):
        services.agree(store, BANK, assessment, FIRST, choice="3", actor=users["contributor"])
    with pytest.raises(AccessDenied):
        services.agree(store, BANK, assessment, FIRST, choice="3", actor=users["inspector"])
    assert services.agree(store, BANK, assessment, FIRST, choice="3", actor=users["coordinator"]).by == (
        "coord@testshire.example"
    )
    for who in ("coordinator", "contributor"):
        with pytest.raises(AccessDenied):
            services.moderate(store, assessment, principle=1, level=2, reason="x", actor=users[who])
    with pytest.raises(AccessDenied):  # an inspector never edits answers
        services.add_respondent(store, BANK, assessment, agency="police", actor=users["inspector"])
    moderation = services.moderate(store, assessment, principle=1, level=2, reason="Seen", actor=users["inspector"])
    assert moderation.by == "hmi@inspectorate.example"


def test_an_inspector_of_another_region_cannot_moderate():
    inspector = User(
        email="hmi@north.example",
        memberships=(Membership(email="hmi@north.example", role="inspector", region="North"),),
    )
    assert inspector.may("moderate", Area("testshire", "Testshire", region="North"))
    assert not inspector.may("moderate", Area("southshire", "Southshire", region="South"))
    assert operator().may("moderate", Area("testshire", "Testshire"))


def test_copy_db_moves_respondents_agreed_answers_and_moderation(database_url, tmp_path, monkeypatch):
    from assessment.transfer import copy_database

    monkeypatch.delenv("IOM_DATABASE_URL", raising=False)
    source = Store(tmp_path / "local.sqlite3")
    assessment, _ = three_agencies(source)
    services.agree(source, BANK, assessment, FIRST, choice="3", reason="Minutes")
    services.moderate(source, assessment, principle=1, level=1, reason="Less")
    if database_url == source.url:
        database_url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    report = copy_database(source.url, database_url)
    assert "3 respondents, 6 respondents' answers" in report.summary()
    assert "1 agreed answers, 1 moderated levels" in report.summary()
    target = Store(database_url)
    assert target.get(assessment.id) == source.get(assessment.id)
    target.engine.dispose()


def test_a_respondent_can_give_their_name_and_role_later(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    police = services.add_respondent(store, BANK, assessment, agency="police")
    changed = services.change_respondent(store, BANK, assessment, police.id, name=" Sam  Jones ", role="DI")
    assert (changed.name, changed.role) == ("Sam Jones", "DI")
    assert store.get(assessment.id).respondent(police.id).name == "Sam Jones"


def test_a_respondent_added_by_mistake_is_removed_with_their_answers_and_the_proposal_recomputed(store):
    assessment, (_, _, charity) = three_agencies(store)
    services.agree(store, BANK, assessment, SECOND, choice="2")
    services.answer_partner_as(store, BANK, assessment, charity.id, "housing", "board", "yes")
    assert store.get(assessment.id).partner_answer("housing", "board") == "yes"
    services.remove_respondent(store, BANK, assessment, charity.id)
    saved = store.get(assessment.id)
    assert [r.agency for r in saved.respondents] == ["police", "housing"]
    assert saved.answers[FIRST].choice == "1"  # the lower middle of 4 and 1, without St Mungo's 2
    assert "St Mungo's" not in saved.answers[FIRST].evidence
    assert saved.partner_answer("housing", "board") is None  # only St Mungo's had answered it
    assert saved.agreed[SECOND].choice == "2"  # what the board agreed stays agreed
    assert saved == assessment  # the copy in memory is in step
    change = services.history(store, assessment, actor=services.LOCAL_USER)[-1]
    from assessment.audit import describe

    assert change.action == "respondent-remove"
    assert describe(change, BANK) == "St Mungo's: answers removed (2 statements, 1 partner answer)"


def test_removing_the_last_respondent_leaves_the_answers_as_the_boards_own(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    police = services.add_respondent(store, BANK, assessment, agency="police")
    services.answer_as(store, BANK, assessment, police.id, FIRST, choice="3")
    services.agree(store, BANK, assessment, FIRST, choice="3")
    services.remove_respondent(store, BANK, assessment, police.id)
    saved = store.get(assessment.id)
    assert (saved.respondents, saved.agreed) == ([], {})
    assert saved.answers == {}  # their answers went with them: nothing is left to score


def test_an_agency_chosen_by_mistake_is_removed_and_the_board_answers_together_again(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    services.answer_statement(store, assessment, FIRST, choice="2", evidence="Board minutes")
    services.answer_partner(store, assessment, "police", "board", "yes")
    police = services.add_respondent(store, BANK, assessment, agency="police")  # chosen on the survey by mistake
    services.answer_as(store, BANK, assessment, police.id, FIRST, choice="0")
    assert [r.agency_name for r in store.get(assessment.id).respondents] == ["The board, together", ""]
    services.remove_respondent(store, BANK, assessment, police.id)
    saved = store.get(assessment.id)
    assert (saved.respondents, saved.agreed) == ([], {})
    assert saved.answers[FIRST] == StatementAnswer(choice="2", evidence="Board minutes")
    assert saved.partner_answer("police", "board") == "yes"


def test_only_a_coordinator_removes_a_respondent(store):
    _, users = shared_people(store)
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=users["coordinator"])
    mine = services.add_respondent(store, BANK, assessment, agency="police", actor=users["contributor"])
    for who in ("contributor", "inspector"):
        with pytest.raises(AccessDenied):
            services.remove_respondent(store, BANK, assessment, mine.id, actor=users[who])
    services.remove_respondent(store, BANK, assessment, mine.id, actor=users["coordinator"])
    assert store.get(assessment.id).respondents == []
    change = services.history(store, assessment, actor=users["coordinator"])[-1]
    assert (change.action, change.by) == ("respondent-remove", "coord@testshire.example")


def test_in_shared_mode_a_respondent_is_named_after_the_person_signed_in(store):
    _, users = shared_people(store)
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026, actor=users["coordinator"])
    signed_in = User(users["contributor"].email, name="Sam Patel", memberships=users["contributor"].memberships)
    mine = services.add_respondent(store, BANK, assessment, agency="police", actor=signed_in)
    assert (mine.name, mine.user) == ("Sam Patel", "police@testshire.example")
    services.change_respondent(store, BANK, assessment, mine.id, role="Detective inspector", actor=signed_in)
    change = services.history(store, assessment, actor=users["coordinator"])[-1]
    from assessment.audit import describe

    assert describe(change, BANK) == "Police (Sam Patel): name or role changed"
