"""The comparison workbook: its sheets, band words beside colour, the quartile method, and text never a formula."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assessment.__main__ import main
from assessment.comparison import QUARTILE_METHOD, Provenance, compare
from assessment.files.excel.comparison import build_comparison_workbook
from assessment.files.json import export_json
from questions.loader import get_bank
from tests.factories import make_assessment, make_bank
from tests.national import national_returns

BANK = make_bank()


def every(choice: str) -> dict[str, str]:
    return {f"s{n}-{m}": choice for n in range(1, 7) for m in range(1, 5)}


def workbook_of(*assessments, **kwargs):
    return load_workbook(io.BytesIO(build_comparison_workbook(BANK, compare(BANK, assessments, **kwargs))))


def test_the_sheets_an_inspector_needs():
    book = workbook_of(make_assessment(every("2"), area="Kent", year=2025))
    assert book.sheetnames == [
        "About",
        "Statistics",
        "Scores",
        "Partners",
        "Year on year",
        "Weakest statements",
        "Sources",
    ]
    about = [cell.value for cell in book["About"]["B"]]
    assert QUARTILE_METHOD in about


def test_scores_have_band_words_beside_their_colour():
    book = workbook_of(make_assessment(every("4"), area="Kent", year=2025))
    sheet = book["Scores"]
    headings = [cell.value for cell in sheet[4]]
    row = dict(zip(headings, sheet[5], strict=True))
    assert row["Overall"].value == 4.0 and row["Overall band"].value == "Embedded"
    assert row["Principle 1 band"].value == "Embedded"
    assert row["Principle 1"].fill.fgColor.rgb.endswith("00703C")
    assert row["Region"].value == "South East"


def test_text_that_looks_like_a_formula_stays_text():
    assessment = make_assessment(every("2"), area='=HYPERLINK("http://x")', year=2025)
    book = workbook_of(assessment, provenance={assessment.id: Provenance("=cmd|x.json", "test-1", ("@note",))})
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    sources = book["Sources"]
    values = [cell.value for cell in sources[5]]
    assert "=cmd|x.json" in values and sources["B5"].quotePrefix


def test_the_command_writes_the_workbook_for_43_areas(tmp_path):
    bank = get_bank()
    folder = tmp_path / "returns"
    folder.mkdir()
    for assessment in national_returns(bank, (2025, 2026)):
        (folder / f"{assessment.area}-{assessment.year}.json").write_text(export_json(assessment), encoding="utf-8")
    out = tmp_path / "comparison.xlsx"
    assert main(["compare", str(folder), "-o", str(out)]) == 0
    book = load_workbook(out)
    assert book["Scores"].max_row >= 4 + 86
    stats = [[cell.value for cell in row] for row in book["Statistics"].iter_rows(min_row=5)]
    assert [row[2] for row in stats if row[1] == "Overall"] == [43, 43]  # areas with a score, each year
    assert book["Year on year"].max_row == 4 + 43


def test_the_inspectors_levels_sit_beside_the_self_assessed_scores_with_the_difference_and_reason():
    from assessment.model import Moderation

    moderated = make_assessment(
        every("3"),
        area="Kent",
        year=2025,
        moderation=[
            Moderation(principle=2, level=1, reason="=Few joint cases seen"),
            Moderation(principle=2, statement_id="s2-1", level=0, reason="One statement only"),
        ],
    )
    book = workbook_of(moderated, make_assessment(every("2"), area="Essex", year=2025))
    assert book.sheetnames[3] == "Inspected"
    sheet = book["Inspected"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4, values_only=False)]
    assert rows[0] == ["Assessment", "Principle", "Self-assessed", "Inspected", "Difference", "Inspector's reason"]
    assert rows[1:] == [["Kent 2025", "2. Principle number 2", "3.0", "1 Emerging", "-2.0", "=Few joint cases seen"]]
    assert sheet.cell(row=5, column=6).data_type == "s"  # a reason that looks like a formula stays text
    plain = workbook_of(make_assessment(every("2"), area="Essex", year=2025))
    assert "Inspected" not in plain.sheetnames
