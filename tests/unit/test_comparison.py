"""Comparing areas and years: hand-worked scores, means, partner shares, year-on-year changes and notes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from assessment.__main__ import main
from assessment.comparison import (
    PartnerInvolvement,
    compare,
    comparison_csv,
    comparison_dict,
    overview_rows,
    partner_grid_rows,
    partner_share_rows,
)
from assessment.files.json import export_json
from assessment.scoring import score
from assessment.services import example_assessment, import_returns
from assessment.store import Store
from questions.loader import get_bank
from tests.factories import make_assessment, make_bank

BANK = make_bank()


def every(choice: str, **overrides: str) -> dict[str, str]:
    """The same choice for all 24 statements of the test bank, with some statements answered otherwise."""
    choices = {f"s{n}-{m}": choice for n in range(1, 7) for m in range(1, 5)}
    return {**choices, **overrides}


def partners(**rows: tuple[str, str, str, str]) -> dict[str, dict[str, str]]:
    """Partner answers as (board, vision, meetings, contact): the first two strategic, the others operational."""
    return {pid: dict(zip(("board", "vision", "meetings", "contact"), row, strict=True)) for pid, row in rows.items()}


def northshire_2025(**fields):
    # Principle 1: (1 + 2 + 3 + 3) / 4 = 2.25, shown as 2.3; every other principle 2.0.
    return make_assessment(
        every("2", **{"s1-1": "1", "s1-3": "3", "s1-4": "3"}),
        area="Northshire",
        year=2025,
        partner_answers=partners(mental_health=("no", "no", "no", "no"), police=("yes", "yes", "yes", "yes")),
        **fields,
    )


def northshire_2026(**fields):
    # Principle 6: only 1 of 4 statements has a level, so it is 'Insufficient evidence'; the rest are 3.0.
    return make_assessment(
        every("3", **{"s6-1": "dont_know", "s6-2": "dont_know", "s6-3": "dont_know"}),
        area="Northshire",
        year=2026,
        partner_answers=partners(
            police=("yes", "yes", "yes", "yes"),
            mental_health=("no", "no", "partly", "yes"),  # operational (50 + 100) / 2 = 75%: involved
            housing=("dont_know", "dont_know", "dont_know", "dont_know"),
        ),
        **fields,
    )


def southshire_2026(**fields):
    return make_assessment(
        every("4"),
        area="Southshire",
        year=2026,
        partner_answers=partners(
            police=("yes", "yes", "yes", "yes"),
            mental_health=("no", "no", "no", "no"),
            housing=("partly", "partly", "no", "no"),  # strategic 50%: involved at strategic level only
        ),
        **fields,
    )


@pytest.fixture
def three():
    return compare(BANK, [southshire_2026(), northshire_2026(), northshire_2025()])


def test_each_assessment_is_a_row_in_order_of_area_then_year(three):
    assert [row.label for row in three.rows] == ["Northshire 2025", "Northshire 2026", "Southshire 2026"]
    assert three.areas == 2


def test_the_scores_are_the_scorecard_s_own(three):
    northshire = three.rows[0]
    assert northshire.principle_scores == (2.3, 2.0, 2.0, 2.0, 2.0, 2.0)
    # The overall score is the mean of the scores as shown: (2.3 + 5 × 2) / 6 = 2.05, shown as 2.1.
    assert northshire.overall == 2.1
    assert northshire.overall == score(BANK, northshire_2025()).overall
    assert three.rows[1].principle_scores == (3.0, 3.0, 3.0, 3.0, 3.0, None)
    assert three.rows[1].overall is None
    assert three.rows[2].overall == 4.0


def test_counts_of_answers_gaps_and_partners(three):
    northshire = three.rows[1]
    assert (northshire.answered, northshire.statements, northshire.evidence_gaps) == (24, 24, 3)
    assert northshire.partners_involved == 2  # police, and mental health at operational level
    assert {p.id: i.text() for p, i in northshire.partners} == {
        "police": "Strategic and operational",
        "probation": "Not known",
        "mental_health": "Operational only",
        "alcohol_treatment": "Not known",
        "housing": "Not known",
        "prison": "Not known",
    }


def test_the_mean_of_each_principle_is_over_the_areas_with_a_score_in_one_year(three):
    # Statistics never mix years. 2026: principle 1 (3.0 + 4.0) / 2 = 3.5; principle 6 4.0 alone, Northshire 2026
    # has no score. 2025: Northshire alone.
    assert three.principle_means == (3.5, 3.5, 3.5, 3.5, 3.5, 4.0)
    assert three.overall_mean == 4.0  # Northshire 2026 has no overall score
    by_year = {stats.year: stats for stats in three.statistics}
    assert by_year[2025].principles[0].mean == 2.3 and by_year[2025].overall.mean == 2.1
    assert by_year[2026].principles[5].count == 1


def test_partner_shares_count_each_area_once_at_its_latest_year(three):
    shares = {share.partner.id: share for share in three.partner_shares}
    assert (shares["police"].involved, shares["police"].answered, shares["police"].share) == (2, 2, 100.0)
    # Northshire's 2025 'No' is superseded by 2026's operational involvement; Southshire does not involve it.
    assert (shares["mental_health"].involved, shares["mental_health"].answered) == (1, 2)
    assert shares["mental_health"].share == 50.0
    # Northshire answered 'Don't know' throughout, so only Southshire counts.
    assert (shares["housing"].involved, shares["housing"].answered) == (1, 1)
    assert shares["prison"].share is None


def test_partner_shares_sit_beside_the_national_figure_and_never_invent_one(three):
    rows = {row["Partner"]: row for row in partner_share_rows(three)}
    assert rows["Police"]["Areas involving it"] == "100% (2 of 2)"
    assert rows["Police"]["National survey (2013)"] == "96%"
    assert rows["Mental_Health"]["Areas involving it"] == "50% (1 of 2)"
    assert rows["Mental_Health"]["National survey (2013)"] == "No national figure"
    assert rows["Prison"]["Areas involving it"] == "Not known"
    assert rows["Prison"]["National survey (2013)"] == "66%"


def test_year_on_year_changes_between_consecutive_years(three):
    (change,) = three.changes
    assert (change.area, change.from_year, change.to_year) == ("Northshire", 2025, 2026)
    # 3.0 - 2.3 = +0.7 for principle 1, +1.0 for the others; principle 6 has no score in 2026.
    assert change.principle_changes == (0.7, 1.0, 1.0, 1.0, 1.0, None)
    assert change.overall_change is None
    assert change.comparable


def test_three_years_give_two_changes_in_order():
    northshire_2024 = make_assessment(every("1"), area="Northshire", year=2024)
    comparison = compare(BANK, [northshire_2026(), northshire_2024, northshire_2025()])
    assert [(c.from_year, c.to_year) for c in comparison.changes] == [(2024, 2025), (2025, 2026)]
    assert comparison.changes[0].principle_changes == (1.3, 1.0, 1.0, 1.0, 1.0, 1.0)
    assert comparison.changes[0].overall_change == 1.1  # 1.0 -> 2.1


def test_different_national_bank_versions_get_a_note_and_their_change_is_flagged():
    comparison = compare(BANK, [northshire_2025(bank_version="test-0"), northshire_2026()])
    (note,) = comparison.notes
    assert "different versions of the national question bank" in note
    assert "version test-0: Northshire 2025" in note
    assert "Scores are comparable only within the same version" in note
    assert not comparison.changes[0].comparable


def test_local_questions_are_flagged_but_the_national_version_is_the_same():
    comparison = compare(BANK, [northshire_2026(bank_version="test-1+local"), southshire_2026()])
    (note,) = comparison.notes
    assert note.startswith("Northshire 2026 included local questions")
    assert comparison.rows[0].has_local_questions
    assert overview_rows(BANK, comparison)[0]["Question bank"] == "test-1+local"


def test_a_fictional_example_is_named_in_a_note():
    comparison = compare(BANK, [southshire_2026(is_example=True)])
    assert comparison.notes == (
        "Southshire 2026 is a fictional example, made up to show how the service works. "
        "Leave it out of any real comparison.",
    )
    assert overview_rows(BANK, comparison)[0]["Assessment"] == "Southshire 2026 (fictional example)"


def test_two_assessments_of_the_same_area_and_year_count_once_and_the_latest_stands():
    older = southshire_2026(updated_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    newer = make_assessment(
        every("1"), area="southshire", year=2026, updated_at=datetime(2026, 4, 2, 10, 30, tzinfo=UTC)
    )
    comparison = compare(BANK, [newer, older])
    assert [row.assessment_id for row in comparison.rows] == [newer.id]
    assert comparison.areas == 1
    assert not comparison.changes
    (duplicate,) = comparison.duplicates
    assert [c.label for c in duplicate.candidates] == [  # named as the return that stands spells it
        "southshire 2026 (saved 01 Mar 2026 09:00)",
        "southshire 2026 (saved 02 Apr 2026 10:30)",
    ]
    assert any(note.startswith("2 returns for southshire 2026") for note in comparison.notes)
    shares = {share.partner.id: share for share in comparison.partner_shares}
    assert shares["police"].answered == 0  # the later one has no partner answers


def test_two_copies_saved_in_the_same_minute_still_count_once():
    stamp = datetime(2026, 4, 2, 10, 30, tzinfo=UTC)
    comparison = compare(BANK, [southshire_2026(updated_at=stamp), southshire_2026(updated_at=stamp)])
    assert [row.label for row in comparison.rows] == ["Southshire 2026"]
    assert len(comparison.duplicates[0].candidates) == 2
    assert len(partner_grid_rows(comparison)[0]) == 2


def test_nothing_to_compare_gives_empty_tables():
    comparison = compare(BANK, [])
    assert comparison.rows == () and comparison.changes == () and comparison.notes == ()
    assert comparison.principle_means == (None,) * 6
    assert partner_grid_rows(comparison) == []
    assert comparison_csv(comparison) == ""


def test_the_csv_has_a_line_per_assessment_with_numbers_and_blanks_for_no_score(three):
    lines = list(csv.DictReader(io.StringIO(comparison_csv(three))))
    assert [(line["Area"], line["Year"]) for line in lines] == [
        ("Northshire", "2025"),
        ("Northshire", "2026"),
        ("Southshire", "2026"),
    ]
    assert lines[0]["1. Principle number 1"] == "2.3"
    assert lines[1]["6. Principle number 6"] == ""
    assert lines[1]["Overall score"] == ""
    assert lines[1]["Mental_Health: operational"] == "Involved"
    assert lines[1]["Mental_Health: strategic"] == "Not involved"
    assert lines[1]["Housing: strategic"] == "Not known"
    assert lines[2]["Fictional example"] == "No"


def test_a_cell_that_looks_like_a_formula_is_written_as_text():
    comparison = compare(BANK, [make_assessment(every("2"), area="=HYPERLINK(1)")])
    (line,) = csv.DictReader(io.StringIO(comparison_csv(comparison)))
    assert line["Area"] == "'=HYPERLINK(1)"


def test_the_comparison_as_data_carries_the_same_figures(three):
    data = comparison_dict(three)
    assert len(data["assessments"]) == 3
    assert data["year_on_year"][0]["principle_changes"]["1. Principle number 1"] == 0.7
    police = next(p for p in data["partners"] if p["partner"] == "Police")
    assert (police["share_percent"], police["national_percent"]) == (100.0, 96)


def test_involvement_is_unknown_when_no_known_level_shows_it_and_a_level_is_not_known():
    assert PartnerInvolvement(strategic=None, operational=None).involved is None
    assert PartnerInvolvement(strategic=False, operational=None).involved is None  # as the scorecard says
    assert PartnerInvolvement(strategic=False, operational=False).involved is False
    assert PartnerInvolvement(strategic=None, operational=True).involved is True
    assert PartnerInvolvement(strategic=None, operational=True).text() == "Operational only"


# ---- many returns at once -------------------------------------------------------------------------------------

REAL_BANK = get_bank()


def json_return(area: str, year: int) -> bytes:
    assessment = example_assessment(REAL_BANK, year=year).model_copy(update={"area": area, "is_example": False})
    return export_json(assessment).encode()


def test_many_returns_are_imported_each_on_its_own(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    outcomes = import_returns(
        store,
        REAL_BANK,
        [
            ("northshire.json", json_return("Northshire", 2026)),
            ("broken.json", b"{not json"),
            ("southshire.json", json_return("Southshire", 2026)),
        ],
    )
    assert [(o.filename, o.status) for o in outcomes] == [
        ("northshire.json", "imported"),
        ("broken.json", "refused"),
        ("southshire.json", "imported"),
    ]
    assert outcomes[0].message == "Imported Northshire 2026."
    assert "not valid JSON" in outcomes[1].message
    assert outcomes[1].assessment_id is None
    assert sorted((s.area, s.year) for s in store.list()) == [("Northshire", 2026), ("Southshire", 2026)]


def test_a_return_for_an_area_and_year_already_saved_is_skipped_not_duplicated(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    (first,) = import_returns(store, REAL_BANK, [("northshire.json", json_return("Northshire", 2026))])
    before = store.counts()
    outcomes = import_returns(
        store,
        REAL_BANK,
        [("again.json", json_return("northshire", 2026)), ("copy.json", json_return("Northshire", 2026))],
    )
    assert [o.status for o in outcomes] == ["skipped", "skipped"]
    assert all(o.assessment_id == first.assessment_id for o in outcomes)
    assert "an assessment for Northshire 2026 is already saved" in outcomes[0].message
    assert store.counts() == before


def test_two_files_for_the_same_area_and_year_in_one_upload_import_only_the_first(tmp_path):
    store = Store(tmp_path / "iom.sqlite3")
    outcomes = import_returns(
        store, REAL_BANK, [("a.json", json_return("Eastshire", 2026)), ("b.json", json_return("Eastshire", 2026))]
    )
    assert [o.status for o in outcomes] == ["imported", "skipped"]
    assert len(store.find("Eastshire", 2026)) == 1


# ---- the command line ----------------------------------------------------------------------------------------


def test_the_command_line_compares_many_files_as_csv(tmp_path, capsys):
    for name, year in (("Northshire", 2025), ("Northshire", 2026), ("Southshire", 2026)):
        (tmp_path / f"{name}-{year}.json").write_bytes(json_return(name, year))
    assert main(["compare", *sorted(str(p) for p in tmp_path.glob("*.json")), "-o", str(tmp_path / "out.csv")]) == 0
    lines = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert [(line["Area"], line["Year"]) for line in lines] == [
        ("Northshire", "2025"),
        ("Northshire", "2026"),
        ("Southshire", "2026"),
    ]


def test_the_command_line_reports_a_bad_file_and_compares_the_others(tmp_path, capsys):
    good = tmp_path / "northshire.json"
    good.write_bytes(json_return("Northshire", 2026))
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"nonsense")
    assert main(["compare", str(good), str(bad), "--json"]) == 1
    captured = capsys.readouterr()
    assert "bad.json: The file is not valid JSON" in captured.err
    data = json.loads(captured.out)
    assert [row["Area"] for row in data["assessments"]] == ["Northshire"]
    assert data["year_on_year"] == []
