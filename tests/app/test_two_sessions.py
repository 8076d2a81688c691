"""Two sessions on one assessment: different statements both keep their change; for the same statement the
later save wins, and the session whose answer was replaced is told, by name in shared mode."""

from __future__ import annotations

from assessment.services import start_assessment
from questions.loader import get_bank
from tests.app.conftest import open_page, texts

BANK = get_bank()
FIRST, SECOND = BANK.principles[0].statements[:2]


def key(assessment_id: str, statement) -> str:
    return f"{assessment_id}.{statement.id}.choice"


def test_different_statements_both_keep_their_change(store):
    assessment = start_assessment(store, BANK, area="Testshire", year=2026)
    one, two = open_page("app_pages/survey.py", assessment.id), open_page("app_pages/survey.py", assessment.id)
    one.radio(key=key(assessment.id, FIRST)).set_value("2").run()
    two.radio(key=key(assessment.id, SECOND)).set_value("4").run()
    one.run()
    answers = store.get(assessment.id).answers
    assert (answers[FIRST.id].choice, answers[SECOND.id].choice) == ("2", "4")
    assert one.radio(key=key(assessment.id, SECOND)).value == "4"
    assert "after you gave yours" not in texts(one)


def test_for_the_same_statement_the_later_wins_and_the_earlier_session_is_told(store):
    assessment = start_assessment(store, BANK, area="Testshire", year=2026)
    earlier, later = open_page("app_pages/survey.py", assessment.id), open_page("app_pages/survey.py", assessment.id)
    earlier.radio(key=key(assessment.id, FIRST)).set_value("2").run()
    later.run()
    later.radio(key=key(assessment.id, FIRST)).set_value("4").run()
    earlier.run()
    assert store.get(assessment.id).answers[FIRST.id].choice == "4"
    assert earlier.radio(key=key(assessment.id, FIRST)).value == "4"
    assert "Someone in another session changed this answer after you gave yours" in texts(earlier)
    assert "after you gave yours" not in texts(later)
    earlier.run()
    assert "after you gave yours" not in texts(earlier)  # told once
