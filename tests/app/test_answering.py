"""Answering on the survey page (issue 12): one partner at a time by default, "Next partner", the "Saved" note,
and the review of every answer before the results."""

from __future__ import annotations

from assessment.services import answer_partner, answer_statement, start_assessment
from questions.loader import get_bank
from tests.app.conftest import open_page, shown_table, texts

BANK = get_bank()
PARTNERS = BANK.partners.partners
INDICATORS = BANK.partners.indicators


def partner_radios(at, assessment_id: str, partner_id: str):
    return [at.radio(key=f"{assessment_id}.{partner_id}.{i.id}.partner") for i in INDICATORS]


def test_partner_coverage_asks_one_partner_at_a_time_by_default_with_no_blank_choice(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id, section="Partner coverage")
    assert not at.exception
    assert len(at.data_editor) == 0  # no canvas grid on the default path
    radios = partner_radios(at, assessment.id, PARTNERS[0].id)
    assert len(radios) == len(INDICATORS)
    for radio, indicator in zip(radios, INDICATORS, strict=True):
        assert radio.options == ["Yes", "Partly", "No", "Don't know"]  # no blank option
        assert radio.value is None  # not answered yet: nothing chosen
        assert radio.label.startswith(f"{PARTNERS[0].name}: ")  # a screen reader hears whose answer it is
        assert indicator.text[1:] in radio.label
    assert f"Partner 1 of {len(PARTNERS)}: {PARTNERS[0].name}" in [h.value for h in at.subheader]


def test_one_choice_saves_a_partner_answer_and_says_so(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id, section="Partner coverage")
    indicator = INDICATORS[3]
    at.radio(key=f"{assessment.id}.police.{indicator.id}.partner").set_value("partly").run()
    assert store.get(assessment.id).partner_answer("police", indicator.id) == "partly"
    saved = [h.proto.body for h in at.get("html") if "Saved at" in h.proto.body]
    assert len(saved) == 1 and f"1 of {len(INDICATORS)} answers for Police given" in saved[0]
    assert 'class="iom-saved"' in saved[0]


def test_next_partner_shows_the_next_partner_with_the_answers_saved_for_it(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    answer_partner(store, assessment, PARTNERS[1].id, INDICATORS[0].id, "yes")
    at = open_page("app_pages/survey.py", assessment.id, section="Partner coverage")
    at.button(key="survey.next_partner").click().run()
    assert not at.exception
    assert at.selectbox(key="survey.partner_choice").value == PARTNERS[1].id
    radios = partner_radios(at, assessment.id, PARTNERS[1].id)
    assert [r.value for r in radios] == ["yes"] + [None] * (len(INDICATORS) - 1)
    # The focus script names the new partner's heading.
    scripts = [h.proto.body for h in at.get("html") if "h.focus" in h.proto.body]
    assert scripts and f"Partner 2 of {len(PARTNERS)}: {PARTNERS[1].name}" in scripts[0]


def test_the_last_partner_has_no_next_partner_button(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id, section="Partner coverage")
    at.selectbox(key="survey.partner_choice").select(PARTNERS[-1].id).run()
    assert not [b for b in at.button if b.key == "survey.next_partner"]
    assert "This is the last partner" in texts(at)


def test_next_moves_the_focus_to_the_new_sections_heading(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id)
    at.button(key="survey.next").click().run()
    principle = BANK.principles[1]
    scripts = [h.proto.body for h in at.get("html") if "h.focus" in h.proto.body]
    assert len(scripts) == 1 and f"Principle 2: {principle.name}" in scripts[0]
    at.run()  # the request is used once: an ordinary rerun leaves the focus where the user put it
    assert not [h for h in at.get("html") if "h.focus" in h.proto.body]


def test_the_saved_note_names_the_level_and_the_evidence_note(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    first = BANK.principles[0].statements[0]
    at = open_page("app_pages/survey.py", assessment.id)
    at.radio(key=f"{assessment.id}.{first.id}.choice").set_value("2").run()
    at.text_area(key=f"{assessment.id}.{first.id}.evidence").input("Minutes of the May board").run()
    saved = [h.proto.body for h in at.get("html") if "Saved at" in h.proto.body]
    assert len(saved) == 1
    assert f"2 {BANK.level_label(2)} and your evidence note." in saved[0]
    assert "iom-live" in saved[0]  # said through the page's live region


def test_the_review_lists_every_answer_on_one_line_with_notes_as_written(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    first, second = BANK.principles[0].statements[:2]
    answer_statement(store, assessment, first.id, choice="3", evidence="**Agreed** at the\nMarch board [see](x)")
    answer_statement(store, assessment, second.id, choice="not_applicable", na_reason="No prison here")
    answer_partner(store, assessment, "housing", INDICATORS[0].id, "partly")
    at = open_page("app_pages/survey.py", assessment.id, section="Review my answers")
    assert not at.exception
    assert "Review your answers" in [h.value for h in at.header]
    rows = shown_table(at.table[0])
    assert list(rows.columns) == ["Statement", "Level", "Evidence note"]
    assert len(rows) == len(BANK.principles[0].statements)
    assert list(rows.iloc[0]) == [
        f"1.1 {first.text}",
        f"3 {BANK.level_label(3)}",
        "**Agreed** at the March board [see](x)",  # as written: one line, never read as Markdown
    ]
    assert list(rows.iloc[1])[1:] == ["Not applicable: No prison here", "No note"]
    assert list(shown_table(at.table[2]).iloc[0])[1:] == ["not answered", "No note"]
    housing = next(line for line in texts(at).splitlines() if line.startswith("- Housing: "))
    assert f"{INDICATORS[0].short}: **Partly**" in housing
    at.button(key="survey.review.partners").click().run()
    assert "Partner coverage" in [h.value for h in at.header]


def test_next_from_partner_coverage_goes_to_the_review_and_then_to_the_results(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_page("app_pages/survey.py", assessment.id, section="Partner coverage")
    at.button(key="survey.next").click().run()
    assert "Review your answers" in [h.value for h in at.header]
    assert [link.label for link in at.get("page_link")] == ["See the results"]
