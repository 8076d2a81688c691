"""`python -m assessment merge FILE... -o agreed.json` (issue 10): several agencies' returns for one area and year
become one assessment with its respondents and the proposed agreement; mixing areas, years or question bank
versions is refused, naming the files; and the Start page adds each agency's uploaded template the same way."""

from __future__ import annotations

import json

from assessment import services
from assessment.__main__ import main
from assessment.files.excel import layout
from assessment.files.json import read_json
from assessment.model import Assessment, StatementAnswer
from assessment.services import read_upload
from assessment.store import Store
from questions.loader import get_bank
from tests.unit.excel_helpers import edit, fill_template, typed

BANK = get_bank()
FIRST, SECOND = (s.id for s in BANK.principles[0].statements[:2])


def agency_return(tmp_path, agency: str, levels: tuple[str, str], *, area="Testshire", year=2026, bank=None):
    answers = Assessment(
        area=area,
        year=year,
        bank_version=BANK.version,
        answers={
            FIRST: StatementAnswer(choice=levels[0], evidence=f"{agency} notes"),
            SECOND: StatementAnswer(choice=levels[1]),
        },
    )

    def choose(workbook):
        typed(workbook[layout.AREA_DETAILS].cell(layout.AGENCY_ROWS["agency"], 2), agency)
        if bank:
            for row in workbook[layout.METADATA].iter_rows():
                if row[0].value == "bank_version":
                    row[1].value = bank

    path = tmp_path / f"{agency.lower().replace(' ', '-')}-{area}-{year}.xlsx"
    path.write_bytes(edit(fill_template(BANK, answers), choose))
    return path


def test_three_agencies_returns_merge_into_one_assessment_with_the_proposed_agreement(tmp_path, capsys):
    files = [
        agency_return(tmp_path, "Police", ("4", "2")),
        agency_return(tmp_path, "Housing", ("1", "2")),
        agency_return(tmp_path, "Probation", ("2", "3")),
    ]
    out = tmp_path / "agreed.json"
    assert main(["merge", *map(str, files), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Merged 3 returns for Testshire 2026" in printed
    assert "3 respondents, 1 statement flagged for discussion" in printed
    merged = read_json(BANK, out.read_bytes()).assessment
    assert [r.agency for r in merged.respondents] == ["police", "housing", "probation"]
    assert merged.respondents[1].answers[FIRST].evidence == "Housing notes"
    assert (merged.answers[FIRST].choice, merged.answers[SECOND].choice) == ("2", "2")
    assert merged.agreed == {}  # proposed, not yet agreed
    assert json.loads(out.read_text())["assessment"]["respondents"][0]["agency"] == "police"


def test_mixing_areas_or_years_is_refused_naming_the_files(tmp_path, capsys):
    files = [
        agency_return(tmp_path, "Police", ("4", "2")),
        agency_return(tmp_path, "Housing", ("1", "2"), area="Northshire"),
    ]
    out = tmp_path / "agreed.json"
    assert main(["merge", *map(str, files), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert "These returns are for different areas: Testshire (police-Testshire-2026.xlsx); Northshire" in error
    assert "housing-Northshire-2026.xlsx" in error
    assert not out.exists()
    files[1] = agency_return(tmp_path, "Housing", ("1", "2"), year=2025)
    assert main(["merge", *map(str, files), "-o", str(out)]) == 1
    assert "different years: 2026 (police-Testshire-2026.xlsx); 2025 (housing-Testshire-2025.xlsx)" in (
        capsys.readouterr().err
    )


def test_mixing_question_bank_versions_is_refused(tmp_path, capsys):
    older = f"{BANK.version.split('.')[0]}.1"
    files = [agency_return(tmp_path, "Police", ("4", "2")), agency_return(tmp_path, "Housing", ("1", "2"), bank=older)]
    assert main(["merge", *map(str, files), "-o", str(tmp_path / "agreed.json")]) == 1
    error = capsys.readouterr().err
    assert "different question bank versions" in error and "housing-Testshire-2026.xlsx" in error


def test_a_bad_file_stops_the_merge_and_says_which(tmp_path, capsys):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    good = agency_return(tmp_path, "Police", ("4", "2"))
    assert main(["merge", str(good), str(bad), "-o", str(tmp_path / "agreed.json")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("broken.xlsx: ") and "Nothing was merged" in error


def test_a_local_board_collects_three_agencies_templates_by_upload(tmp_path, monkeypatch):
    monkeypatch.delenv("IOM_DATABASE_URL", raising=False)
    store = Store(tmp_path / "local.sqlite3")
    uploads = [
        agency_return(tmp_path, "Police", ("4", "2")),
        agency_return(tmp_path, "Housing", ("1", "2")),
        agency_return(tmp_path, "Probation", ("2", "3")),
    ]
    first = read_upload(BANK, uploads[0].read_bytes(), filename=uploads[0].name)
    saved = services.save_import(store, first)
    for path in uploads[1:]:
        imported = read_upload(BANK, path.read_bytes(), filename=path.name)
        services.add_returns(store, BANK, saved.id, imported)
    again = read_upload(BANK, uploads[1].read_bytes(), filename=uploads[1].name)  # Housing sends a copy again
    services.add_returns(store, BANK, saved.id, again)
    result = store.get(saved.id)
    assert sorted(r.agency for r in result.respondents) == ["housing", "police", "probation"]
    assert result.answers[FIRST].choice == "2"
    services.agree(store, BANK, result, FIRST, choice="2")
    assert store.get(saved.id).agreed[FIRST].choice == "2"
