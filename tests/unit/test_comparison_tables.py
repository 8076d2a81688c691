"""The comparison's tables, checked cell by cell against figures worked out by hand: the flat rows of the CSV and
the command line, the row of means under the overview, and the year-on-year changes."""

from __future__ import annotations

import pytest

from assessment.comparison import (
    _csv_cell,
    change_rows,
    compare,
    comparison_csv,
    flat_rows,
    mean_row,
    partner_grid_rows,
)
from assessment.wording import NO_NATIONAL_FIGURE_NOTE
from benchmarks.loader import get_library
from benchmarks.models import PracticeLibrary
from tests.factories import make_assessment, make_bank
from tests.unit.test_comparison import every, northshire_2025, northshire_2026, partners, southshire_2026

BANK = make_bank()
PRINCIPLES = [f"{n}. Principle number {n}" for n in range(1, 7)]
NOT_KNOWN_BOTH = {"strategic": "Not known", "operational": "Not known"}


def partner_cells(**levels: dict[str, str]) -> dict[str, str]:
    """The partner columns of a flat row, in the bank's order: 'Not known' unless given."""
    cells = {}
    for pid in ("police", "probation", "mental_health", "alcohol_treatment", "housing", "prison"):
        for level, value in levels.get(pid, NOT_KNOWN_BOTH).items():
            cells[f"{pid.title()}: {level}"] = value
    return cells


@pytest.fixture
def three():
    return compare(BANK, [southshire_2026(), northshire_2026(), northshire_2025()])


def test_a_flat_row_holds_every_figure_of_its_assessment_as_numbers_and_words(three):
    row = flat_rows(three)[1]
    expected = {
        "Area": "Northshire",
        "Year": 2026,
        "Question bank version": "test-1",
        "Local questions": "No",
        "Fictional example": "No",
        "Overall score": None,  # principle 6 has too few answers, so there is no overall score
        **dict(zip(PRINCIPLES, [3.0, 3.0, 3.0, 3.0, 3.0, None], strict=True)),
        "Statements answered": 24,
        "Statements": 24,
        "Evidence gaps": 3,  # the three 'Don't know' answers
        "Partners involved": 2,  # the police at both levels, mental health in day-to-day work
        "Partners": 6,
        **partner_cells(
            police={"strategic": "Involved", "operational": "Involved"},
            mental_health={"strategic": "Not involved", "operational": "Involved"},
        ),
        "Region": "Not in the register",
        "Overall rank in the year": None,  # no overall score, so no rank
    }
    assert {key: row[key] for key in expected} == expected
    # Ranks among 2026's two areas: Southshire (4.0) first on every principle, Northshire (3.0) second.
    assert [row[f"{name}: rank in the year"] for name in PRINCIPLES[:5]] == [2] * 5


def test_a_flat_row_says_yes_for_local_questions_and_a_fictional_example():
    example = make_assessment(every("2"), area="Exampleshire", bank_version="test-1+local", is_example=True)
    [row] = flat_rows(compare(BANK, [example]))
    assert (row["Local questions"], row["Fictional example"]) == ("Yes", "Yes")
    assert (row["Overall score"], row["Partners involved"], row["Evidence gaps"]) == (2.0, 0, 0)


def test_the_row_of_means_takes_each_column_over_the_latest_year_s_areas_with_a_score(three):
    # Statistics are per year: 2026 has Northshire (3.0 on principles 1 to 5, no score on 6, so no overall) and
    # Southshire (4.0 throughout). Principles 1 to 5: (3.0 + 4.0) / 2 = 3.5; principle 6 and overall: 4.0 alone.
    assert mean_row(BANK, three) == {
        "Assessment": "Mean of 2 areas in 2026",
        "Region": "",
        "Overall": "4.0 Embedded",
        "Rank": "",
        **dict(zip(PRINCIPLES, ["3.5", "3.5", "3.5", "3.5", "3.5", "4.0"], strict=True)),
        "Statements answered": "",
        "Evidence gaps": "",
        "Partners involved": "",
        "Question bank": "",
    }


def test_a_year_on_year_change_reads_later_minus_earlier_with_its_sign(three):
    assert change_rows(three) == [
        {
            "Area": "Northshire",
            "Region": "Not in the register",
            "Years": "2025 to 2026",
            "Overall": "Insufficient evidence",  # 2026 has no overall score
            **dict(zip(PRINCIPLES, ["+0.7", "+1.0", "+1.0", "+1.0", "+1.0", "Insufficient evidence"], strict=True)),
            "Same question bank": "Yes",
        }
    ]


def test_no_change_a_fall_and_a_different_question_bank_are_each_said_plainly():
    earlier = make_assessment(every("3"), area="Eastshire", year=2026, partner_answers=partners())
    later = make_assessment(
        every("3", **{"s1-1": "2", "s1-2": "2", "s1-3": "2", "s1-4": "2"}),
        area="Eastshire",
        year=2027,
        bank_version="test-2",
    )
    [row] = change_rows(compare(BANK, [later, earlier]))
    assert row == {
        "Area": "Eastshire",
        "Region": "Not in the register",
        "Years": "2026 to 2027",
        "Overall": "-0.2",  # 3.0 to (2.0 + 5 × 3.0) / 6 = 2.83, shown as 2.8
        **dict(zip(PRINCIPLES, ["-1.0", *["No change"] * 5], strict=True)),
        "Same question bank": "No: compare with care",
    }


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_an_area_name_a_spreadsheet_would_run_as_a_formula_is_written_to_the_csv_as_text(start):
    comparison = compare(BANK, [make_assessment(every("2"), area=f"{start}SUM(A1)")])
    line = comparison_csv(comparison).splitlines()[1]
    assert line.startswith(f"'{start}SUM(A1),") and ",2026," in line


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_a_cell_starting_with_a_tab_or_carriage_return_is_also_written_as_text(start):
    # Area names lose their tabs and line ends when saved, so no cell holds one today; the guard stays for any
    # text column added later.
    assert _csv_cell(f"{start}=SUM(A1)") == f"'{start}=SUM(A1)"
    assert _csv_cell("Northshire") == "Northshire" and _csv_cell(2.5) == 2.5


def test_the_csv_ends_each_line_with_a_carriage_return_and_line_feed(three):
    assert comparison_csv(three).count("\r\n") == 4  # the header and three assessments


def test_the_partner_grid_says_how_each_area_involves_each_partner(three):
    rows = {row["Partner"]: row for row in partner_grid_rows(three)}
    assert rows["Police"] == {
        "Partner": "Police",
        "Northshire 2025": "Strategic and operational",
        "Northshire 2026": "Strategic and operational",
        "Southshire 2026": "Strategic and operational",
    }
    assert rows["Housing"]["Southshire 2026"] == "Strategic only"
    assert rows["Mental_Health"]["Northshire 2026"] == "Operational only"
    assert rows["Mental_Health"]["Southshire 2026"] == "Not involved"
    assert rows["Housing"]["Northshire 2026"] == "Not known"


def test_each_row_carries_the_assessment_s_own_id_and_bands(three):
    northshire_2025_row = three.rows[0]
    assert northshire_2025_row.overall_band == 2  # 2.1: Developing
    assert northshire_2025_row.principle_bands == (2, 2, 2, 2, 2, 2)  # 2.3 and five 2.0s
    assert three.rows[1].principle_bands == (3, 3, 3, 3, 3, None)
    assert three.rows[1].overall_band is None
    assessment = southshire_2026()
    assert compare(BANK, [assessment]).rows[0].assessment_id == assessment.id


def test_involvement_known_at_one_level_only_is_read_from_that_level():
    assessment = make_assessment(every("2"), partner_answers={"housing": {"board": "yes", "vision": "partly"}})
    [row] = compare(BANK, [assessment]).rows
    housing = {partner.id: involvement for partner, involvement in row.partners}["housing"]
    assert (housing.strategic, housing.operational, housing.involved) == (True, None, True)
    assert housing.text() == "Strategic only"


def test_statements_unanswered_or_not_applicable_without_a_reason_are_not_counted_as_answered():
    answers = every("2", **{"s1-1": "dont_know", "s1-2": "not_applicable"})
    assessment = make_assessment(answers)
    assessment.answers["s1-2"].na_reason = ""  # no reason yet
    del assessment.answers["s2-1"]
    [row] = flat_rows(compare(BANK, [assessment]))
    assert (row["Statements answered"], row["Statements"]) == (22, 24)


def test_year_on_year_changes_are_listed_by_area_then_year_whichever_area_was_assessed_first():
    later_area = [
        make_assessment(every("2"), area="Southshire", year=2024),
        make_assessment(every("3"), area="Southshire", year=2025),
    ]
    earlier_area = [
        make_assessment(every("3"), area="Northshire", year=2025),
        make_assessment(every("4"), area="Northshire", year=2026),
    ]
    changes = compare(BANK, [*later_area, *earlier_area]).changes
    assert [(c.area, c.from_year, c.to_year) for c in changes] == [
        ("Northshire", 2025, 2026),
        ("Southshire", 2024, 2025),
    ]


def test_a_partner_with_no_national_figure_says_so_and_one_with_a_figure_carries_its_note(three):
    police = next(share for share in three.partner_shares if share.partner.id == "police")
    figure = get_library().national_figure("police")
    assert (police.national_percent, police.national_note) == (figure.percent, figure.note)
    no_figures = PracticeLibrary.model_validate({**get_library().model_dump(), "national_figures": []})
    comparison = compare(BANK, [southshire_2026()], library=no_figures)
    for share in comparison.partner_shares:
        assert (share.national_percent, share.national_note) == (None, NO_NATIONAL_FIGURE_NOTE)
