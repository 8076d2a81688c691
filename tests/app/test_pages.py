"""Every page, run in Streamlit's AppTest against a real store."""

from __future__ import annotations

from assessment.services import create_example, start_assessment
from questions.loader import get_bank
from tests.app.conftest import open_page, shown_table, texts

BANK = get_bank()


def test_the_start_page_explains_the_service_and_offers_the_example(store):
    at = open_page("app_pages/start.py")
    assert not at.exception
    page = texts(at)
    assert "IOM partnership self-assessment" in page
    assert "never individuals" in page
    assert any(b.label == "Try it with example answers" for b in at.button)


def test_starting_an_assessment_saves_it_and_opens_the_survey(store):
    at = open_page("app_pages/start.py")
    at.text_input[0].input("Northshire")
    at.number_input[0].set_value(2026)
    at.button(key="FormSubmitter:start.new-Start").click().run()
    assert not at.exception
    [saved] = store.list()
    assert (saved.area, saved.year) == ("Northshire", 2026)
    assert at.query_params["a"] == saved.id
    assert "Self-assessment: Northshire 2026" in texts(at)


def test_starting_with_no_area_name_says_what_to_do(store):
    at = open_page("app_pages/start.py")
    at.button(key="FormSubmitter:start.new-Start").click().run()
    assert "Enter the name of your area" in texts(at)
    assert store.list() == []


def test_starting_a_second_assessment_for_the_same_area_and_year_offers_a_choice(store):
    first = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/start.py")
    at.text_input[0].input("Northshire")
    at.number_input[0].set_value(2026)
    at.button(key="FormSubmitter:start.new-Start").click().run()
    assert "already a self-assessment for Northshire 2026" in texts(at)
    at.button(key="start.resume_existing").click().run()
    assert at.query_params["a"] == first.id
    assert len(store.list()) == 1


def test_the_example_area_opens_on_the_results(store):
    at = open_page("app_pages/start.py")
    at.button(key="start.example").click().run()
    assert not at.exception
    [example] = store.list()
    assert example.is_example
    assert "Results: Exampleshire (fictional example)" in texts(at)


def test_a_saved_assessment_can_be_resumed_from_the_list(store):
    saved = start_assessment(store, BANK, area="Westshire", year=2025)
    at = open_page("app_pages/start.py")
    at.selectbox(key="start.resume_choice").select(saved.id).run()
    at.button(key="start.resume").click().run()
    assert at.query_params["a"] == saved.id


def test_a_link_to_a_missing_assessment_says_so(store):
    at = open_page("app_pages/start.py", assessment_id="no-such-assessment-000")
    assert "No assessment has that link" in texts(at)


def test_the_survey_saves_a_level_at_once(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    assert not at.exception
    first = BANK.principles[0].statements[0]
    at.radio(key=f"{assessment.id}.{first.id}.choice").set_value("3").run()
    assert store.get(assessment.id).answers[first.id].choice == "3"
    assert f"1 of {len(BANK.statements())} statements answered" in at.get("progress")[0].proto.text


def test_the_survey_saves_evidence_and_warns_about_personal_data(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    first = BANK.principles[0].statements[0]
    at.text_area(key=f"{assessment.id}.{first.id}.evidence").input("Agreed at board; DOB 03/04/1988").run()
    assert store.get(assessment.id).answers[first.id].evidence == "Agreed at board; DOB 03/04/1988"
    assert "date of birth" in texts(at)


def test_not_applicable_asks_for_a_reason(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    first = BANK.principles[0].statements[0]
    at.radio(key=f"{assessment.id}.{first.id}.choice").set_value("not_applicable").run()
    assert "Give a reason" in texts(at)
    at.text_input(key=f"{assessment.id}.{first.id}.na").input("No prison in the area").run()
    assert store.get(assessment.id).answers[first.id].na_reason == "No prison in the area"
    assert "Give a reason" not in texts(at)


def test_the_survey_moves_between_sections(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    at.button(key="survey.next").click().run()
    assert f"Principle 2: {BANK.principles[1].name}" in texts(at)
    at.segmented_control(key="section").set_value("partners").run()
    assert "Partner coverage" in [h.value for h in at.header]
    assert len(at.data_editor) == 0  # one partner at a time, as questions, by default
    at.toggle(key="survey.partner_tables").set_value(True).run()
    assert len(at.data_editor) == 2  # strategic and operational


def test_the_survey_lists_what_is_still_to_answer(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    assert BANK.principles[5].statements[0].text in texts(at)


def test_the_survey_without_an_assessment_points_to_the_start(store):
    at = open_page("app_pages/survey.py")
    assert "Start a new self-assessment, or resume one" in texts(at)


def test_the_results_show_the_six_principles_and_the_national_figures(store):
    example = create_example(store, BANK)
    at = open_page("app_pages/results.py", example.id)
    assert not at.exception
    principles = shown_table(at.table[0])
    assert list(principles["Principle"]) == [f"{p.number}. {p.name}" for p in BANK.principles]
    assert set(principles["Band"]) <= {level.label for level in BANK.levels}
    [chart] = at.get("vega_lite_chart")
    assert "six principle scores" in chart.proto.alt
    partners = shown_table(at.table[-1])
    row = dict(zip(partners["Partner"], partners["National survey (2013)"], strict=True))
    assert row["Police"] == "96%"
    assert row["Prison service"] == "66%"
    assert row["Mental health services"] == "No national figure"
    notes = dict(zip(partners["Partner"], partners["About the national figure"], strict=True))
    assert "drug and alcohol" in notes["Alcohol treatment services"].lower()


def test_the_results_say_when_there_is_not_enough_evidence(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/results.py", assessment.id)
    assert "Insufficient evidence" in texts(at)
    assert "not yet enough evidence for an overall score" in texts(at)


def test_the_method_page_publishes_the_method_and_a_worked_example(store):
    at = open_page("app_pages/method.py")
    assert not at.exception
    page = texts(at)
    assert "halves rounding up" in page
    assert "Weighted mean" in page
    assert "Insufficient evidence" in page


def test_partner_answers_can_be_given_as_questions_one_partner_at_a_time(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    at.segmented_control(key="section").set_value("partners").run()
    at.selectbox(key="survey.partner_choice").select("housing").run()
    indicator = BANK.partners.indicators[0]
    at.radio(key=f"{assessment.id}.housing.{indicator.id}.partner").set_value("partly").run()
    assert not at.exception
    assert store.get(assessment.id).partner_answer("housing", indicator.id) == "partly"
    cells = len(BANK.partners.partners) * len(BANK.partners.indicators)
    assert f"1 of {cells} partner answers given" in at.get("progress")[0].proto.text


def test_a_change_saved_in_another_tab_shows_on_the_next_rerun(store):
    from assessment.services import answer_statement

    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    first = BANK.principles[0].statements[0]
    at = open_page("app_pages/survey.py", assessment.id)
    at.radio(key=f"{assessment.id}.{first.id}.choice").set_value("1").run()
    other_tab = store.get(assessment.id)
    answer_statement(store, other_tab, first.id, choice="4")
    at.run()
    assert at.radio(key=f"{assessment.id}.{first.id}.choice").value == "4"


def test_the_accessibility_statement_page_shows_the_statement_with_one_h1(store):
    at = open_page("app_pages/accessibility.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Accessibility statement for IOM self-assessment"]
    headings = [h.value for h in at.header]
    for section in ("How accessible this service is", "Feedback and contact information", "Enforcement procedure"):
        assert section in headings
    assert "Non-accessible content" in [h.value for h in at.subheader]
    assert "Equality Advisory and Support Service" in texts(at)


def test_a_2026_1_assessment_opens_on_the_survey_with_the_list_of_what_changed(store):
    from tests.unit.test_migration import assessment_on_2026_1

    old = store.create(assessment_on_2026_1())
    at = open_page("app_pages/survey.py", old.id)
    assert not at.exception
    assert store.get(old.id).bank_version == BANK.version
    notice = [info.value for info in at.info if "question bank 2026.1" in info.value]
    fresh = len(store.bank_update(old.id).fresh_look)
    assert notice == [
        f"This self-assessment was started on question bank 2026.1 and now uses {BANK.version}. {fresh} answers "
        "need a fresh look. The list below says what changed."
    ]
    listed = "\n".join(t.value for t in at.text)
    assert "Statements 4.3 and 4.4 (were 4.3)" in listed
    at.button(key="bank_update.dismiss").click().run()
    assert store.bank_update(old.id) is None
    assert not [info for info in at.info if "question bank 2026.1" in info.value]


def test_the_board_summary_page_shows_the_same_summary_as_the_reports_first_sheet(store):
    from datetime import date

    from streamlit.testing.v1 import AppTest

    from app_pages.components import plain
    from assessment.plan import build_plan
    from assessment.scoring import score
    from assessment.summary import board_summary
    from benchmarks.loader import get_library
    from tests.app.conftest import ROOT

    example = create_example(store, BANK)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["a"] = example.id
    at.run()  # registers the pages, so switch_page finds this one
    at.switch_page("app_pages/board_summary.py")
    at.run()
    assert not at.exception
    scorecard = score(BANK, example)
    summary = board_summary(
        BANK, example, scorecard, build_plan(BANK, get_library(), example, scorecard), today=date.today()
    )
    assert [t.value for t in at.title] == [f"Board summary: {plain(example.title)}"]
    # Cells are escaped so that no text is read as Markdown: compare them as written.
    shown = [str(cell).replace("\\", "") for table in at.table for cell in table.value.to_numpy().ravel()]
    for label, value in summary.facts():
        assert label in shown and value in shown, label
    for line in summary.actions:
        assert f"{line.rank}. {line.title}" in shown
    assert [h.value for h in at.header] == [
        "The six principles: scores against targets", "Partner involvement", "The five actions that matter most"
    ]  # fmt: skip
