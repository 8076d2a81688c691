"""The Compare areas and years page, run in Streamlit's AppTest against a real store."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assessment.files.json import export_json
from assessment.model import StatementAnswer
from assessment.services import create_example, example_assessment
from questions.loader import get_bank
from tests.app.conftest import ROOT, as_shown, shown_table, texts

BANK = get_bank()


def open_compare() -> AppTest:
    """The app on the Compare page. The first run registers the pages, whose url_path differs from the file."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    at.switch_page("app_pages/compare.py")
    return at.run()


def area(name: str, year: int, shift: int = 0):
    """The example's answers for a real-looking area, every level moved by ``shift``."""
    example = example_assessment(BANK, year=year)
    answers = {
        sid: a.model_copy(update={"choice": str(max(0, min(4, a.level + shift)))}) if a.level is not None else a
        for sid, a in example.answers.items()
    }
    return example.model_copy(update={"area": name, "is_example": False, "answers": answers})


def save_areas(store):
    return [
        store.create(area("Northshire", 2025, shift=-1)),
        store.create(area("Northshire", 2026)),
        store.create(area("Southshire", 2026, shift=1)),
    ]


def table_with(at: AppTest, column: str):
    """The first table with this column: tables are found by what they hold, not by position."""
    for element in at.table:
        frame = shown_table(element)
        if column in frame.columns:
            return frame
    raise AssertionError(f"no table has a column {column!r}")


def scores_table(at: AppTest):
    return table_with(at, "Assessment")


def test_with_nothing_saved_the_page_says_so_and_offers_the_upload(store):
    at = open_compare()
    assert not at.exception
    page = texts(at)
    assert "Compare areas and years" in page
    assert "No self-assessments have been saved yet. Upload returns below to compare them." in page
    assert "Choose at least one self-assessment, or add returns from files, to see the comparison." in page
    assert at.get("file_uploader")[0].label == "Returns to add (Excel or JSON)"
    assert not at.table


def test_saved_areas_are_compared_and_the_fictional_example_is_left_out(store):
    northshire_2025, northshire_2026, southshire = save_areas(store)
    create_example(store, BANK)
    at = open_compare()
    assert not at.exception
    assert set(at.multiselect(key="compare.chosen").value) == {northshire_2025.id, northshire_2026.id, southshire.id}
    page = texts(at)
    assert "Comparing 3 self-assessments of 2 areas over 2 years; 2 in 2026." in page
    table = scores_table(at)  # the latest year, highest overall score first; statistics never mix years
    assert list(table["Assessment"]) == ["Southshire 2026", "Northshire 2026", "Mean of 2 areas in 2026"]
    assert list(table["Rank"][:2]) == ["1 of 2", "2 of 2"]
    stats = table_with(at, "Lower quartile").set_index("Measure")
    assert stats.loc["Overall", "Areas with a score"] == 2
    assert "inclusive method" in page
    assert {"Principle 1", "Principle 6", "Overall", "Evidence gaps", "Partners involved"} <= set(table.columns)
    assert table["Principle 1"][1] == "3.0"  # the example's principle 1
    changes = table_with(at, "Years")
    assert list(changes["Area"]) == ["Northshire"]
    assert changes["Principle 1"][0].startswith("+")
    assert "Exampleshire" not in page


def test_the_examples_can_be_included_and_are_named_as_fictional(store):
    save_areas(store)
    example = create_example(store, BANK)
    at = open_compare()
    at.toggle(key="compare.examples").set_value(True).run()
    assert not at.exception
    assert example.id in at.multiselect(key="compare.chosen").value
    assert "Exampleshire (fictional example) 2026 is a fictional example, made up" in texts(at)
    at.toggle(key="compare.examples").set_value(False).run()
    assert example.id not in at.multiselect(key="compare.chosen").value


def test_the_partner_table_sits_beside_the_national_survey(store):
    save_areas(store)
    at = open_compare()
    partners = table_with(at, "National survey (2013)").set_index("Partner")
    assert partners.loc["Police", "Areas involving it"] == "100% (2 of 2)"
    assert partners.loc["Police", "Strategic level"] == "100% (2 of 2)"
    assert partners.loc["Police", "National survey (2013)"] == "96%"
    assert partners.loc["Mental health services", "National survey (2013)"] == "No national figure"


def test_one_assessment_has_no_mean_and_no_year_on_year_change(store):
    store.create(area("Westshire", 2026))
    at = open_compare()
    assert not at.exception
    assert list(scores_table(at)["Assessment"]) == ["Westshire 2026", "Mean of 1 area in 2026"]
    page = texts(at)
    assert "Comparing 1 self-assessment of 1 area over 1 year; 1 in 2026." in page
    assert "None of the areas chosen has more than one year." in page


def test_choosing_none_asks_for_a_choice(store):
    save_areas(store)
    at = open_compare()
    at.multiselect(key="compare.chosen").set_value([]).run()
    assert not at.exception
    assert "Choose at least one self-assessment" in texts(at)
    assert not at.table


def test_insufficient_evidence_is_shown_in_words(store):
    thin = area("Eastshire", 2026)
    answers = dict(thin.answers)
    for principle, statement in BANK.statements():
        if principle.number == 3:
            answers[statement.id] = StatementAnswer(choice="dont_know")
    store.create(thin.model_copy(update={"answers": answers}))
    at = open_compare()
    row = scores_table(at).iloc[0]
    assert row["Principle 3"] == "Insufficient evidence"
    assert row["Overall"] == "Insufficient evidence"


def test_many_returns_are_uploaded_at_once_with_a_message_for_each_file(store):
    saved = store.create(area("Northshire", 2026))
    at = open_compare()
    at.get("file_uploader")[0].set_value(
        [
            ("southshire.json", export_json(area("Southshire", 2026)).encode(), "application/json"),
            ("northshire-again.json", export_json(area("Northshire", 2026)).encode(), "application/json"),
            ("broken_*draft*.xlsx", b"this is not a workbook", "application/octet-stream"),
            (
                "wrong-year.json",
                export_json(area("Westshire", 2026)).replace('"year": 2026', '"year": 1800').encode(),
                "application/json",
            ),
        ]
    )
    at.run()
    at.button(key="compare.import").click().run()
    assert not at.exception
    # The summary first, then each file.
    assert as_shown(at.warning[0].value) == "1 imported, 1 already saved, 2 refused."
    details = [as_shown(m.value) for m in at.markdown]
    assert ":material/check_circle: **southshire.json**: Imported Southshire 2026." in details
    (skipped,) = [d for d in details if "northshire-again.json" in d]
    assert "**northshire-again.json**: Not imported: an assessment for Northshire 2026" in skipped
    refused, wrong_year = [e.value for e in at.error]
    # The file name is shown as written, never read as Markdown.
    assert refused.startswith("**broken\\_\\*draft\\*\\.xlsx**: The file is not an Excel workbook")
    wrong_year = as_shown(wrong_year)
    assert wrong_year.startswith("**wrong-year.json**: Nothing was imported: the JSON file has 1 problem to fix.")
    assert "- assessment.year: Input should be greater than or equal to 2000" in wrong_year
    assert not store.find("Westshire", 2026)
    assert len(store.find("Northshire", 2026)) == 1
    southshire = store.find("Southshire", 2026)[0]
    assert set(at.multiselect(key="compare.chosen").value) == {saved.id, southshire.id}
    assert set(list(scores_table(at)["Assessment"])[:2]) == {"Northshire 2026", "Southshire 2026"}


def test_an_inspected_level_shows_beside_the_self_assessed_score_with_the_difference(store):
    from assessment.services import moderate

    _, northshire_2026, _ = save_areas(store)
    moderate(store, northshire_2026, principle=1, level=1, reason="Few joint cases seen")
    at = open_compare()
    assert not at.exception
    assert "Self-assessed and inspected" in texts(at)
    inspected = table_with(at, "Inspected")
    assert list(inspected["Assessment"]) == ["Northshire 2026"]
    assert (inspected["Self-assessed"][0], inspected["Inspected"][0], inspected["Difference"][0]) == (
        "3.0",
        "1 Emerging",
        "-2.0",
    )
    assert inspected["Inspector's reason"][0] == "Few joint cases seen"


def test_results_and_compare_show_an_inspected_level_in_the_same_words(store):
    """One figure, one wording: the inspected level, the self-assessed score and the difference read the same on
    Results (the board's page) and on Compare (the inspector's)."""
    from assessment.services import moderate
    from tests.app.conftest import open_page

    _, northshire_2026, _ = save_areas(store)
    moderate(store, northshire_2026, principle=1, level=2, reason="Some joint cases seen")
    columns = ["Self-assessed", "Inspected", "Difference"]
    on_compare = table_with(open_compare(), "Inspected")
    results = open_page("app_pages/results.py", northshire_2026.id)
    on_results = next(shown_table(t) for t in results.table if "Inspected" in shown_table(t).columns)
    assert list(on_compare[columns].iloc[0]) == list(on_results[columns].iloc[0])
