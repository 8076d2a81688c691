"""Shared mode (IOM_DATABASE_URL set): nobody gets in without signing in, and each page shows only what the
signed-in person may see and change."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assessment import services
from assessment.access import operator
from assessment.store import Store
from questions.loader import get_bank
from tests.app.conftest import ROOT, shown_table, texts

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-of-at-least-thirty-two-bytes",
    "client_id": "iom",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
OPS = operator("tests")


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """A shared service with Testshire and Northshire, each with a 2026 assessment, and people in every role."""
    path = tmp_path / "shared.sqlite3"
    monkeypatch.setenv("IOM_DATABASE_URL", f"sqlite:///{path}")
    store = Store(path)
    for email, role, area in (
        ("coord@testshire.example", "coordinator", "Testshire"),
        ("coord@northshire.example", "coordinator", "Northshire"),
        ("hmi@inspectorate.example", "inspector", None),
        ("admin@service.example", "admin", None),
    ):
        services.add_member(store, actor=OPS, email=email, role=role, area=area)
    bank = get_bank()
    store.testshire = services.start_assessment(store, bank, area="Testshire", year=2026, actor=OPS)
    store.northshire = services.start_assessment(store, bank, area="Northshire", year=2026, actor=OPS)
    return store


def visit(page: str, *, email: str | None, assessment_id: str | None = None, auth: bool = True) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    if auth:
        at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "name": "Test Person"} if email else {"is_logged_in": False}
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.switch_page(page)
    return at.run()


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in_button(shared):
    at = visit("app_pages/start.py", email=None, assessment_id=shared.testshire.id)
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Testshire" not in texts(at)
    assert not at.selectbox and not at.text_input


def test_shared_mode_without_sign_in_configured_lets_nobody_in(shared):
    at = visit("app_pages/start.py", email="coord@testshire.example", auth=False)
    assert "Sign-in is not set up" in texts(at)
    assert not at.button and "Testshire" not in texts(at)


def test_someone_signed_in_with_no_role_is_told_whom_to_ask(shared):
    at = visit("app_pages/start.py", email="stranger@elsewhere.example", assessment_id=shared.testshire.id)
    message = texts(at)
    assert "you have no role in this service yet" in message
    assert "admin@service.example" in message
    assert "Testshire" not in message


def test_a_coordinator_sees_only_their_area_and_cannot_open_anothers_by_its_link(shared):
    at = visit("app_pages/start.py", email="coord@testshire.example")
    resume = at.selectbox(key="start.resume_choice")
    assert [o.split(" ")[0] for o in resume.options] == ["Testshire"]
    assert at.selectbox[0].options == ["Testshire"]  # the only area they may start

    at = visit("app_pages/survey.py", email="coord@testshire.example", assessment_id=shared.northshire.id)
    assert "You do not have access to this assessment." in texts(at)
    assert "Northshire" not in texts(at)
    assert not at.radio


def test_a_coordinator_answers_their_own_areas_questions(shared):
    at = visit("app_pages/survey.py", email="coord@testshire.example", assessment_id=shared.testshire.id)
    radio = at.radio[0]
    assert not radio.disabled
    radio.set_value("3").run()
    assert shared.get(shared.testshire.id).answers[radio.key.split(".")[1]].choice == "3"


def test_an_inspector_reads_both_areas_without_any_way_to_change_them(shared):
    at = visit("app_pages/start.py", email="hmi@inspectorate.example")
    resume = at.selectbox(key="start.resume_choice")
    assert sorted(o.split(" ")[0] for o in resume.options) == ["Northshire", "Testshire"]
    assert "Only a coordinator of an area can start" in texts(at)

    at = visit("app_pages/survey.py", email="hmi@inspectorate.example", assessment_id=shared.northshire.id)
    assert "You can read this self-assessment, but not change it." in texts(at)
    assert at.radio and all(r.disabled for r in at.radio)
    assert all(t.disabled for t in at.text_area)


def test_only_an_admin_has_the_areas_and_people_page(shared):
    at = visit("app_pages/admin.py", email="coord@testshire.example")
    assert "Areas and people" not in texts(at)  # not in a coordinator's navigation: they land on the Start page
    assert "Give someone a role" not in texts(at)

    at = visit("app_pages/admin.py", email="admin@service.example")
    at.text_input[0].set_value("new.person@testshire.example")
    at.selectbox[0].set_value("contributor")
    at.selectbox[1].set_value("testshire")
    next(b for b in at.button if b.label == "Give this role").click().run()
    assert "new.person@testshire.example is now contributor to Testshire" in texts(at).replace("\\", "")
    assert services.who(shared, email="new.person@testshire.example").roles_in(
        services.directory(shared).find_area("Testshire")
    ) == {"contributor"}


def test_the_history_lists_who_changed_what_and_when(shared):
    coordinator = services.signed_in(shared, email="coord@testshire.example")
    services.answer_statement(
        shared, shared.testshire, get_bank().principles[0].statements[0].id, choice="3", actor=coordinator
    )
    at = visit("app_pages/history.py", email="hmi@inspectorate.example", assessment_id=shared.testshire.id)
    rows = at.table[0].value
    shown = [[str(cell).replace("\\", "") for cell in rows[column]] for column in ("Who", "What changed")]  # unescaped
    assert shown == [
        ["coord@testshire.example", "command line (tests)"],
        ["Statement 1.1: answer 3 Established", "Started the self-assessment"],
    ]


def test_in_shared_mode_the_board_reads_the_inspected_levels_and_only_an_inspector_records_them(shared):
    inspector = services.who(shared, email="hmi@inspectorate.example")
    services.moderate(shared, shared.testshire, principle=2, level=1, reason="Little evidence", actor=inspector)
    board = visit("app_pages/results.py", email="coord@testshire.example", assessment_id=shared.testshire.id)
    assert "The board can read these levels but not change them" in texts(board)
    assert not list(board.get("form"))
    hmi = visit("app_pages/results.py", email="hmi@inspectorate.example", assessment_id=shared.testshire.id)
    assert list(hmi.get("form"))
    assert "Little evidence" in [v for t in hmi.table for v in shown_table(t).get("Inspector's reason", [])]


def test_the_coordinator_sees_which_of_the_areas_people_have_not_answered(shared):
    for email in ("police@testshire.example", "housing@testshire.example"):
        services.add_member(shared, actor=OPS, email=email, role="contributor", area="Testshire")
    services.add_member(shared, actor=OPS, email="elsewhere@northshire.example", role="contributor", area="Northshire")
    police = services.who(shared, email="police@testshire.example")
    services.add_respondent(shared, get_bank(), shared.testshire, agency="police", actor=police)
    at = visit("app_pages/agreement.py", email="coord@testshire.example", assessment_id=shared.testshire.id)
    assert not at.exception
    page = texts(at)
    assert "People of Testshire who have not answered yet: coord@testshire.example, housing@testshire.example." in (
        page
    )
    assert "elsewhere@northshire.example" not in page


def test_a_contributor_answers_as_themselves_on_the_survey(shared):
    services.add_member(shared, actor=OPS, email="police@testshire.example", role="contributor", area="Testshire")
    bank = get_bank()
    first = bank.principles[0].statements[0].id
    at = visit("app_pages/survey.py", email="police@testshire.example", assessment_id=shared.testshire.id)
    who = at.selectbox(key="survey.answering_for")
    assert who.format_func("police") == "I (police@testshire.example) am answering for Police"
    who.set_value("police").run()
    assert not at.exception
    (mine,) = shared.get(shared.testshire.id).respondents
    assert (mine.user, mine.name, mine.agency) == ("police@testshire.example", "Test Person", "police")
    at.radio(key=f"{shared.testshire.id}.{mine.id}.{first}.choice").set_value("3").run()
    saved = shared.get(shared.testshire.id)
    assert saved.respondents[0].answer(first).choice == "3" and saved.answers[first].choice == "3"
    # Next time they are offered only the board's answers or their own.
    again = visit("app_pages/survey.py", email="police@testshire.example", assessment_id=shared.testshire.id)
    assert again.selectbox(key="survey.answering_for").options == [
        "The partnership's answers (agreed from each agency's)",
        "Me (police@testshire.example), answering for Police",
    ]
    assert "You are giving Police's own answers, as Test Person." in texts(again)
