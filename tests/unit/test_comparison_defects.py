"""The defects issue 11 found in comparing areas, each with a test that failed before its fix."""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime

from assessment.__main__ import main
from assessment.comparison import compare
from assessment.files.json import export_json
from assessment.services import example_assessment
from questions.loader import LOCAL_EXAMPLE, get_bank, load_bank
from tests.factories import make_assessment, make_bank

BANK = make_bank()
REAL_BANK = get_bank()


def every(choice: str) -> dict[str, str]:
    return {f"s{n}-{m}": choice for n in range(1, 7) for m in range(1, 5)}


def real_return(area: str, year: int, *, bank=REAL_BANK) -> bytes:
    assessment = example_assessment(bank, year=year).model_copy(update={"area": area, "is_example": False})
    return export_json(assessment).encode()


def read_csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# ---- duplicates count twice ----------------------------------------------------------------------------------


def test_two_returns_for_one_area_and_year_count_once_and_the_most_recently_saved_stands():
    older = make_assessment(every("1"), area="Kent", year=2025, updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    newer = make_assessment(every("3"), area="kent", year=2025, updated_at=datetime(2026, 2, 1, tzinfo=UTC))
    surrey = make_assessment(every("2"), area="Surrey", year=2025)
    for order in ([older, newer, surrey], [surrey, newer, older]):
        comparison = compare(BANK, order)
        (stats,) = comparison.statistics
        assert stats.year == 2025 and stats.overall.count == 2  # Kent once, Surrey once
        assert stats.overall.mean == 2.5  # (3.0 + 2.0) / 2: the newer Kent return stands
        (duplicate,) = comparison.duplicates
        assert duplicate.standing.assessment_id == newer.id
        assert [c.assessment_id for c in duplicate.candidates] == [older.id, newer.id]


def test_the_user_chooses_which_duplicate_stands():
    older = make_assessment(every("1"), area="Kent", year=2025, updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    newer = make_assessment(every("3"), area="Kent", year=2025, updated_at=datetime(2026, 2, 1, tzinfo=UTC))
    comparison = compare(BANK, [older, newer], choose={("E23000032", 2025): older.id})
    assert [row.assessment_id for row in comparison.rows] == [older.id]
    assert comparison.statistics[0].overall.mean == 1.0


def test_the_command_refuses_duplicates_naming_the_files_unless_latest(tmp_path, capsys):
    first, second = tmp_path / "kent-a.json", tmp_path / "kent-b.json"
    first.write_bytes(real_return("Kent", 2025))
    second.write_bytes(real_return("Kent", 2025))
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_600_000_000, 1_600_000_000))  # saved earlier
    out = tmp_path / "out.csv"
    assert main(["compare", str(second), str(first), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Kent 2025" in err and "kent-a.json" in err and "kent-b.json" in err and "--latest" in err
    assert not out.exists()
    for order in ((first, second), (second, first)):
        assert main(["compare", *map(str, order), "--latest", "-o", str(out)]) == 0
        (line,) = read_csv(out)
        assert line["File"] == "kent-a.json"


# ---- provenance ------------------------------------------------------------------------------------------------


def test_a_return_keeps_its_own_bank_version_local_marker_and_file_name(tmp_path, capsys):
    local_bank = load_bank(local_file=LOCAL_EXAMPLE)
    (tmp_path / "kent.json").write_bytes(real_return("Kent", 2025, bank=local_bank))
    (tmp_path / "surrey.json").write_bytes(real_return("Surrey", 2025))
    out = tmp_path / "out.csv"
    assert main(["compare", str(tmp_path / "kent.json"), str(tmp_path / "surrey.json"), "-o", str(out)]) == 0
    kent, surrey = read_csv(out)
    assert (kent["Question bank version"], kent["Local questions"], kent["File"]) == (
        f"{local_bank.version}",
        "Yes",
        "kent.json",
    )
    assert (surrey["Question bank version"], surrey["Local questions"]) == (REAL_BANK.version, "No")
    err = capsys.readouterr().err
    # The local answers could not be compared, and the command says so, naming the file.
    assert "kent.json: Statement 'local-night-time-economy'" in err and "left out" in err


def test_year_on_year_with_a_local_return_is_flagged_not_the_same_bank():
    kent_2025 = make_assessment(every("2"), area="Kent", year=2025, bank_version="test-1+local")
    kent_2026 = make_assessment(every("3"), area="Kent", year=2026)
    (change,) = compare(BANK, [kent_2025, kent_2026]).changes
    assert not change.comparable


# ---- statistics are per year ---------------------------------------------------------------------------------


def test_statistics_are_per_year_never_mixing_years():
    comparison = compare(
        BANK,
        [
            make_assessment(every("1"), area="Kent", year=2025),
            make_assessment(every("3"), area="Kent", year=2026),
            make_assessment(every("4"), area="Surrey", year=2026),
        ],
    )
    by_year = {stats.year: stats for stats in comparison.statistics}
    assert by_year[2025].overall.mean == 1.0 and by_year[2025].overall.count == 1
    assert by_year[2026].overall.mean == 3.5 and by_year[2026].overall.count == 2


# ---- folders and globs -----------------------------------------------------------------------------------------


def test_compare_takes_a_folder_and_a_glob(tmp_path, capsys):
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "kent.json").write_bytes(real_return("Kent", 2025))
    (folder / "surrey.json").write_bytes(real_return("Surrey", 2025))
    (folder / "notes.txt").write_text("not a return")
    out = tmp_path / "out.csv"
    assert main(["compare", f"{folder}/", "-o", str(out)]) == 0
    assert [line["Area"] for line in read_csv(out)] == ["Kent", "Surrey"]
    assert main(["compare", str(folder / "k*.json"), "-o", str(out)]) == 0
    assert [line["Area"] for line in read_csv(out)] == ["Kent"]
    assert main(["score", str(folder / "k*.json")]) == 0
    assert "Kent 2025" in capsys.readouterr().out


# ---- area names ------------------------------------------------------------------------------------------------


def test_two_spellings_of_one_force_area_are_one_area_with_a_year_on_year_row():
    comparison = compare(
        BANK,
        [
            make_assessment(every("2"), area="Devon & Cornwall", year=2025),
            make_assessment(every("3"), area="Devon and Cornwall Police", year=2026),
        ],
    )
    assert comparison.areas == 1
    (change,) = comparison.changes
    assert (change.area, change.from_year, change.to_year, change.overall_change) == (
        "Devon and Cornwall",
        2025,
        2026,
        1.0,
    )
    assert {row.region for row in comparison.rows} == {"South West"}


def test_a_name_close_to_a_force_area_is_flagged_to_confirm_and_can_be_confirmed():
    written = make_assessment(every("2"), area="Devon and Cornwal", year=2025)
    comparison = compare(BANK, [written])
    (match,) = comparison.to_confirm
    assert match.written == "Devon and Cornwal" and [a.name for a in match.near] == ["Devon and Cornwall"]
    confirmed = compare(BANK, [written], confirmed={"Devon and Cornwal": "E23000035"})
    assert confirmed.rows[0].area_code == "E23000035" and not confirmed.to_confirm
