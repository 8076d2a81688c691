"""The 'Agree the position' page (issue 10): who has answered, each statement's answers side by side with the
proposal and the flag, accepting the proposal or agreeing another answer with a reason; and the survey's
'Who is answering?' choice, which saves one agency's own answers."""

from __future__ import annotations

from assessment import services
from questions.loader import get_bank
from tests.app.conftest import as_shown, open_page, shown_table, texts

BANK = get_bank()
FIRST, SECOND, THIRD = (s.id for s in BANK.principles[0].statements[:3])
# Probation says it sits on the strategic board; the police say it does not.
PROBATION_RATES_ITSELF_HIGHER = [
    "Probation",
    "Strategic",
    "100%",
    "0% (mean of 1)",
    "Rates itself higher than the others do",
]


def three_agencies(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    people = [
        services.add_respondent(store, BANK, assessment, agency="police", name="Sam"),
        services.add_respondent(store, BANK, assessment, agency="probation"),
        services.add_respondent(store, BANK, assessment, agency="other", agency_name="**Shelter** <b>"),
    ]
    for person, first, second, note in zip(
        people, ("4", "1", "2"), ("2", "2", "3"), ("[a link](http://x.example)", "", "Panel notes"), strict=True
    ):
        services.answer_as(store, BANK, assessment, person.id, FIRST, choice=first, evidence=note)
        services.answer_as(store, BANK, assessment, person.id, SECOND, choice=second)
    services.answer_as(store, BANK, assessment, people[0].id, THIRD, choice="dont_know")
    services.answer_as(store, BANK, assessment, people[1].id, THIRD, choice="3")
    return assessment


def test_the_page_shows_who_has_answered_the_agenda_and_each_statements_answers(store):
    assessment = three_agencies(store)
    at = open_page("app_pages/agreement.py", assessment.id)
    assert not at.exception
    page = texts(at)
    assert [t.value for t in at.title] == ["Agree the position: Testshire 2026"]
    who = shown_table(at.table[0])
    assert list(who["Agency (person)"]) == ["Police (Sam)", "Probation", "**Shelter** <b>"]
    assert list(who["Statements answered"]) == [f"3 of {len(BANK.statements())}", "3 of 38", "2 of 38"]
    assert "Where partners see it most differently" in page
    assert "1.1" in page and "levels differ by 3" in page
    assert "one says Don't know while another gives a level" in page
    # the flagged statements of principle 1 show by default: 1.1 (1, 2, 4) and 1.3 (Don't know and 3)
    notes = [as_shown(v) for t in at.table for v in shown_table(t).get("Evidence note", [])]
    assert "[a link](http://x.example)" in notes  # shown as written, never as a link
    assert "Proposed level: **2 Developing**. This statement is *not yet agreed*." in page


def test_the_coordinator_accepts_one_proposal_and_agrees_another_answer_with_a_reason(store):
    assessment = three_agencies(store)
    at = open_page("app_pages/agreement.py", assessment.id)
    at.button(key=f"agreement.accept.{FIRST}").click().run()
    assert not at.exception
    assert store.get(assessment.id).agreed[FIRST].choice == "2"
    assert "Statement 1.1: agreed 2 Developing." in texts(at)

    at.selectbox(key=f"agreement.choice.{THIRD}").set_value("1")
    at.text_area(key=f"agreement.reason.{THIRD}").input("Probation's data shows little")
    at.button(key=f"FormSubmitter:agreement.form.{THIRD}-Agree this answer").click().run()
    assert not at.exception
    saved = store.get(assessment.id)
    assert (saved.agreed[THIRD].choice, saved.agreed[THIRD].reason) == ("1", "Probation's data shows little")
    assert saved.answers[THIRD].choice == "1"


def test_another_answer_without_a_reason_is_refused_and_nothing_is_saved(store):
    assessment = three_agencies(store)
    at = open_page("app_pages/agreement.py", assessment.id)
    at.selectbox(key=f"agreement.choice.{THIRD}").set_value("4")
    at.button(key=f"FormSubmitter:agreement.form.{THIRD}-Agree this answer").click().run()
    assert "Give the reason for agreeing an answer other than the proposed one" in texts(at)
    assert store.get(assessment.id).agreed == {}


def test_with_nobody_answering_separately_the_page_says_how_to_start(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    at = open_page("app_pages/agreement.py", assessment.id)
    assert not at.exception
    assert "No agency has answered on its own yet" in texts(at)


def test_on_the_survey_i_answer_for_my_agency_and_my_answers_are_kept_apart(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    services.answer_statement(store, assessment, FIRST, choice="3")  # the board's answer before agencies answer
    at = open_page("app_pages/survey.py", assessment.id)
    at.selectbox(key="survey.answering_for").set_value("housing").run()
    assert not at.exception
    assert "You are giving Housing's own answers" in texts(at)
    at.radio(key=f"{assessment.id}.{store.get(assessment.id).respondents[1].id}.{FIRST}.choice").set_value("1").run()
    saved = store.get(assessment.id)
    assert [(r.agency_name or r.agency, r.answer(FIRST).choice) for r in saved.respondents] == [
        ("The board, together", "3"),
        ("housing", "1"),
    ]
    assert saved.answers[FIRST].choice == "1"  # lower of the two middle levels, 1 and 3

    at.selectbox(key="survey.answering_for").set_value("board").run()
    assert "These are the partnership's answers" in texts(at)
    assert all(radio.disabled for radio in at.radio)


def test_results_show_the_range_beside_each_agreed_score_and_what_is_not_yet_agreed(store):
    assessment = three_agencies(store)
    police, probation, _ = store.get(assessment.id).respondents
    services.answer_partner_as(store, BANK, assessment, probation.id, "probation", "strategic-board", "yes")
    services.answer_partner_as(store, BANK, assessment, police.id, "probation", "strategic-board", "no")
    services.agree(store, BANK, assessment, FIRST, choice="2")
    at = open_page("app_pages/results.py", assessment.id)
    assert not at.exception
    page = texts(at)
    assert f"{len(BANK.statements()) - 1} of {len(BANK.statements())} statements are not yet agreed" in page
    # Each statement says whether it is agreed, where the page explains each principle's score.
    first = f"- {BANK.principles[0].statements[0].text} **"
    why = next(as_shown(m.value) for m in at.markdown if as_shown(m.value).startswith(first))
    assert why.startswith(f"{first}2 Developing**")  # agreed
    assert "**2 Developing (not yet agreed)**" in why  # statement 1.2: the lower middle of 2, 2 and 3
    ranges = next(shown_table(t) for t in at.table if "Agencies' own scores" in shown_table(t).columns)
    assert ranges["Agencies' own scores"][0] == "No respondent has a score yet"  # 3 of 6+ statements is too few
    assert "Where partners see it most differently" in page
    ratings = next(shown_table(t) for t in at.table if "Its own rating" in shown_table(t).columns)
    assert list(ratings.iloc[0]) == PROBATION_RATES_ITSELF_HIGHER


def test_an_inspected_level_shows_beside_the_self_assessment_on_results(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    for statement in BANK.principles[0].statements:
        services.answer_statement(store, assessment, statement.id, choice="3")
    at = open_page("app_pages/results.py", assessment.id)
    # on one computer the form sits folded away on the board's Results page, not open beside its scores
    folded = [e for e in at.expander if e.label == "For an inspector: record an inspected level"]
    assert len(folded) == 1 and folded[0].selectbox(key="moderation.level")
    at.selectbox(key="moderation.level").set_value(1)
    at.text_area(key="moderation.reason").input("The minutes show no shared information")
    at.button(key="FormSubmitter:moderation.form-Save the inspected level").click().run()
    assert not at.exception
    inspected = next(shown_table(t) for t in at.table if "Inspected" in shown_table(t).columns)
    assert list(inspected.iloc[0])[1:4] == ["3.0", "1 Emerging", "-2.0"]
    assert store.get(assessment.id).answers[FIRST].choice == "3"  # the board's answers are never changed


def test_on_the_survey_an_agencys_partner_answers_are_its_own(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id, section="Partner coverage")
    at.selectbox(key="survey.answering_for").set_value("other").run()
    at.text_input(key="survey.answering_other").input("Shelter").run()
    assert "You are giving Shelter's own answers" in texts(at)
    # one partner at a time is the default view (issue 12): its questions are radios, police first
    indicator = BANK.partners.indicators[0]
    respondent = store.get(assessment.id).respondents[0]
    at.radio(key=f"{assessment.id}.{respondent.id}.police.{indicator.id}.partner").set_value("partly").run()
    assert not at.exception
    saved = store.get(assessment.id)
    assert saved.respondents[0].partner_answer("police", indicator.id) == "partly"
    assert saved.partner_answer("police", indicator.id) == "partly"  # one respondent: the partnership's answer


def test_the_coordinator_removes_an_agencys_answers_after_confirming(store):
    assessment = three_agencies(store)
    shelter = store.get(assessment.id).respondents[2]
    at = open_page("app_pages/agreement.py", assessment.id)
    at.selectbox(key="agreement.remove_choice").set_value(shelter.id).run()
    at.button(key="agreement.remove").click().run()
    assert "Remove **Shelter** <b>'s answers: 2 statements and 0 partner answers? This cannot be undone." in [
        as_shown(w.value) for w in at.warning
    ]
    assert len(store.get(assessment.id).respondents) == 3  # nothing removed before the confirmation
    at.button(key="agreement.remove_cancel").click().run()
    assert "agreement.removing" not in at.session_state
    at.button(key="agreement.remove").click().run()
    at.button(key="agreement.remove_confirm").click().run()
    assert not at.exception
    saved = store.get(assessment.id)
    assert [r.agency for r in saved.respondents] == ["police", "probation"]
    assert saved.answers[FIRST].choice == "1"  # the lower middle of 4 and 1
    assert "**Shelter** <b>: answers removed. The proposed levels are worked out again." in texts(at)
    assert list(shown_table(at.table[0])["Agency (person)"]) == ["Police (Sam)", "Probation"]


def test_the_page_names_the_agencies_that_have_not_answered(store):
    assessment = three_agencies(store)
    at = open_page("app_pages/agreement.py", assessment.id)
    answered = {"police", "probation"}
    missing = [p.name for p in BANK.partners.partners if p.id not in answered]
    assert f"Partners that have not answered yet: {', '.join(missing)}." in texts(at)


def test_on_the_survey_a_respondent_gives_their_name_and_role(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    at.selectbox(key="survey.answering_for").set_value("housing").run()
    housing = store.get(assessment.id).respondents[0]
    at.text_input(key=f"survey.respondent_name.{housing.id}").input("Alex *Green*")
    at.text_input(key=f"survey.respondent_role.{housing.id}").input("Head of housing options")
    at.button(key=f"FormSubmitter:survey.about.{housing.id}-Save your name and role").click().run()
    assert not at.exception
    saved = store.get(assessment.id).respondents[0]
    assert (saved.name, saved.role) == ("Alex *Green*", "Head of housing options")
    assert "You are giving Housing's own answers, as Alex *Green* (Head of housing options)." in texts(at)
    agreement = open_page("app_pages/agreement.py", assessment.id)
    who = shown_table(agreement.table[0])
    assert (who["Agency (person)"][0], who["Role"][0]) == ("Housing (Alex *Green*)", "Head of housing options")


def test_the_coordinator_uploads_three_agencies_templates_at_once_and_agrees_a_position(store, tmp_path):
    """Done when: a local board collects three agencies' answers through the template and agrees a position."""
    from tests.unit.test_merge_cli import agency_return

    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    files = [
        agency_return(tmp_path, "Police", ("4", "2")),
        agency_return(tmp_path, "Housing", ("1", "2")),
        agency_return(tmp_path, "Probation", ("2", "3")),
        agency_return(tmp_path, "Mental health services", ("3", "3"), area="Northshire"),  # another area: refused
    ]
    at = open_page("app_pages/agreement.py", assessment.id)
    assert "No agency has answered on its own yet" in texts(at)
    at.get("file_uploader")[0].set_value(
        [(path.name, path.read_bytes(), "application/octet-stream") for path in files]
    ).run()
    at.button(key="agreement.add_returns").click().run()
    assert not at.exception
    page = texts(at)
    assert "3 added, 1 refused." in page
    assert "police-Testshire-2026.xlsx: Added the answers of Police." in page
    assert (
        "mental-health-services-Northshire-2026.xlsx: The uploaded return is for Northshire 2026, not Testshire 2026"
        in page
    )
    saved = store.get(assessment.id)
    assert [r.agency for r in saved.respondents] == ["police", "housing", "probation"]
    assert saved.answers[FIRST].choice == "2"  # the median of 4, 1 and 2
    who = shown_table(at.table[0])
    assert list(who["Agency (person)"]) == ["Police", "Housing", "Probation"]

    at.button(key=f"agreement.accept.{FIRST}").click().run()  # flagged: levels differ by 3
    assert store.get(assessment.id).agreed[FIRST].choice == "2"


def test_a_template_for_the_board_together_is_not_added_as_an_agencys_answers(store, tmp_path):
    from tests.unit.excel_helpers import fill_template

    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    board = tmp_path / "board.xlsx"
    board.write_bytes(fill_template(BANK, assessment))
    at = open_page("app_pages/agreement.py", assessment.id)
    at.get("file_uploader")[0].set_value([("board.xlsx", board.read_bytes(), "application/octet-stream")]).run()
    at.button(key="agreement.add_returns").click().run()
    assert "board.xlsx: This template names no agency" in texts(at)
    assert store.get(assessment.id).respondents == []


def test_an_agency_removed_by_the_coordinator_is_not_started_again_by_a_page_left_open(store):
    assessment = services.start_assessment(store, BANK, area="Testshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    at.selectbox(key="survey.answering_for").set_value("housing").run()
    (housing,) = store.get(assessment.id).respondents
    services.remove_respondent(store, BANK, store.get(assessment.id), housing.id)  # the coordinator, elsewhere
    at.run()  # the Housing page, left open, runs again
    assert not at.exception
    assert store.get(assessment.id).respondents == []
    assert at.selectbox(key="survey.answering_for").value == "board"
    assert "Housing's answers were removed on 'Agree the position'" in texts(at)


def test_the_page_flags_an_agency_that_rates_its_own_involvement_higher_than_the_others_do(store):
    assessment = three_agencies(store)
    police, probation, _ = store.get(assessment.id).respondents
    services.answer_partner_as(store, BANK, assessment, probation.id, "probation", "strategic-board", "yes")
    services.answer_partner_as(store, BANK, assessment, police.id, "probation", "strategic-board", "no")
    at = open_page("app_pages/agreement.py", assessment.id)
    assert not at.exception
    ratings = next(shown_table(t) for t in at.table if "Its own rating" in shown_table(t).columns)
    assert list(ratings.iloc[0]) == PROBATION_RATES_ITSELF_HIGHER
    grid = next(shown_table(t) for t in at.table if "Partner" in shown_table(t).columns)
    row = grid[(grid["Partner"] == "Probation") & (grid["Question"] == BANK.partners.indicators[0].short)]
    assert list(row.iloc[0][2:]) == ["No", "Yes", ""]
