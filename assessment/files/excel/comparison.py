"""The comparison workbook for inspectors: statistics per year, scores with colour and band words, partner
involvement, year-on-year changes, the weakest statements, and the sources of every row.

Every figure comes from ``assessment.comparison``, so the workbook and the Compare page never disagree. Every
value is written through ``style.SheetWriter``: an area name such as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessment import comparison as cmp
from assessment import tables
from assessment.files.excel import style
from assessment.files.excel.sheets import RenderedWorkbook
from assessment.scoring import method_steps
from assessment.wording import INSUFFICIENT
from benchmarks.areas import get_register
from questions.models import QuestionBank

BAND_FILLS = ("D4351C", "F47738", "FFDD00", "85994B", "00703C")
NO_SCORE_FILL = "DDDDDD"
WEAKEST_PER_YEAR = 20
FIRST_ROW = 4  # the heading row of each table; rows 1 and 2 hold the title and a note


def build_comparison_workbook(bank: QuestionBank, comparison: cmp.Comparison) -> bytes:
    return render_comparison_workbook(bank, comparison).to_bytes()


def render_comparison_workbook(bank: QuestionBank, comparison: cmp.Comparison) -> RenderedWorkbook:
    writer = style.SheetWriter()
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    _about(about, writer, bank, comparison)
    _table(
        workbook.create_sheet("Statistics"),
        writer,
        "Statistics per year",
        "Each area counts once a year. " + cmp.QUARTILE_METHOD,
        cmp.statistics_rows(comparison),
        {"A": 8, "B": 40},
        default_width=14,
    )
    _scores(workbook.create_sheet("Scores"), writer, bank, comparison)
    if inspected := cmp.moderation_rows(bank, comparison):  # issue 10: only where an inspector recorded a level
        _table(
            workbook.create_sheet("Inspected"),
            writer,
            "Self-assessed and inspected",
            "Each principle an inspector moderated: the board's self-assessed score beside the inspector's level, "
            "the difference (inspected minus self-assessed) and the inspector's reason.",
            inspected,
            {"A": 24, "B": 40, "C": 14, "D": 12, "E": 12, "F": 60},
        )
    _table(
        workbook.create_sheet("Partners"),
        writer,
        "Partner involvement across areas",
        f"Areas compared in {comparison.years[-1] if comparison.years else '-'} (the latest year), each once, beside "
        "the Home Office's 2013 national survey (003_05e4acfc6c020f2c.txt, 'Who is involved?'). An area that "
        "answered 'Don't know' for a partner is left out of that partner's share.",
        cmp.partner_share_rows(comparison),
        {"A": 30, "B": 18, "C": 18, "D": 18, "E": 14, "F": 60},
    )
    _table(
        workbook.create_sheet("Year on year"),
        writer,
        "Change from year to year",
        "For each area, the change in each score from one year it was assessed to the next: a positive number is a "
        "rise. 'Insufficient evidence' means one of the two years has no score.",
        cmp.change_rows(comparison),
        {"A": 28, "B": 20, "C": 14},
        default_width=13,
    )
    _table(
        workbook.create_sheet("Weakest statements"),
        writer,
        "Statements most often weak or 'Don't know'",
        f"For each year, the {WEAKEST_PER_YEAR} statements most areas rated at level 0 or 1, or answered "
        "'Don't know': where national guidance is most needed.",
        cmp.weakest_rows(_weakest(comparison)),
        {"A": 8, "B": 10, "C": 28, "D": 70, "E": 12, "F": 12, "G": 9, "H": 14},
    )
    _table(
        workbook.create_sheet("Sources"),
        writer,
        "Sources",
        "Each row's file, the area as written, the question bank version it was made on, and the notes its "
        "import made. Local questions are not part of the national bank and are not compared.",
        cmp.source_rows(comparison),
        {"A": 28, "B": 26, "C": 26, "D": 20, "E": 22, "F": 14, "G": 10, "H": 80},
    )
    return RenderedWorkbook(workbook, writer.warnings)


def _weakest(comparison: cmp.Comparison) -> list[cmp.StatementCount]:
    kept, seen = [], {}
    for count in comparison.weakest:
        seen[count.year] = seen.get(count.year, 0) + 1
        if seen[count.year] <= WEAKEST_PER_YEAR:
            kept.append(count)
    return kept


def _about(sheet: Worksheet, writer: style.SheetWriter, bank: QuestionBank, comparison: cmp.Comparison) -> None:
    style.title(sheet, "IOM self-assessments compared", f"Made on {date.today():%d %B %Y}")
    register = get_register()
    lines = [
        ("Returns compared", f"{len(comparison.rows)} ({comparison.areas} areas)"),
        ("Years", ", ".join(str(year) for year in comparison.years) or "None"),
        ("Question bank in use", bank.version),
        ("Quartiles", cmp.QUARTILE_METHOD),
        ("Ranks", "1 is the highest score in the year; areas with the same score share a rank."),
        (
            "Outliers",
            "An area more than one band (1.0) from the median of its region's areas in the same year, where the "
            "region has at least three areas with a score.",
        ),
        (
            "Areas",
            f"Matched to the register of police force areas: {register.title}, {register.publisher} "
            f"({register.year}). Local schemes sit under their force area.",
        ),
        *[(f"Method {n}", step) for n, step in enumerate(method_steps(bank), start=1)],
        *[(f"Note {n}", note) for n, note in enumerate(comparison.notes, start=1)],
    ]
    style.header(sheet, FIRST_ROW, ["About", "Detail"])
    for offset, (label, text) in enumerate(lines, start=1):
        writer.row(sheet, FIRST_ROW + offset, [label, text])
    style.widths(sheet, {"A": 22, "B": 110})
    style.wrap_block(sheet, FIRST_ROW + 1, FIRST_ROW + len(lines), 2)
    style.print_setup(sheet, title_rows=f"{FIRST_ROW}:{FIRST_ROW}")


def _table(
    sheet: Worksheet,
    writer: style.SheetWriter,
    heading: str,
    note: str,
    rows: list[dict],
    column_widths: dict[str, float],
    *,
    default_width: float = 16,
) -> None:
    style.title(sheet, heading)
    writer.put(sheet["A2"], note)
    sheet["A2"].font = style.NOTE_FONT
    if not rows:
        writer.put(sheet.cell(row=FIRST_ROW, column=1), "Nothing to show.")
        style.print_setup(sheet)
        return
    names = list(rows[0])
    style.header(sheet, FIRST_ROW, names)
    for offset, row in enumerate(rows, start=1):
        writer.row(sheet, FIRST_ROW + offset, [_cell(row[name]) for name in names])
    last_column = len(names)
    style.widths(sheet, {get_column_letter(c): default_width for c in range(1, last_column + 1)})
    style.widths(sheet, column_widths)
    style.wrap_block(sheet, FIRST_ROW + 1, FIRST_ROW + len(rows), last_column)
    _filterable(sheet, last_column, FIRST_ROW + len(rows))
    style.print_setup(sheet, title_rows=f"{FIRST_ROW}:{FIRST_ROW}")


def _cell(value: object) -> object:
    return "" if value is None else value


def _filterable(sheet: Worksheet, last_column: int, last_row: int) -> None:
    sheet.auto_filter.ref = f"A{FIRST_ROW}:{get_column_letter(last_column)}{last_row}"
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW + 1, column=2)


def _scores(sheet: Worksheet, writer: style.SheetWriter, bank: QuestionBank, comparison: cmp.Comparison) -> None:
    style.title(sheet, "Scores by area and year")
    writer.put(
        sheet["A2"],
        "Each score sits beside its band in words; the colour repeats the band. 'Insufficient evidence' means fewer "
        "than half of a principle's applicable statements have a level. Rank 1 is the highest in the year.",
    )
    sheet["A2"].font = style.NOTE_FONT
    names = ["Area", "Region", "Year", "Overall", "Overall band", "Rank in year"]
    for number, _ in enumerate(comparison.principle_names, start=1):
        names += [f"Principle {number}", f"Principle {number} band"]
    names += ["Question bank", "File"]
    style.header(sheet, FIRST_ROW, names)
    fills = {band: PatternFill("solid", fgColor=colour) for band, colour in enumerate(BAND_FILLS)}
    fills[None] = PatternFill("solid", fgColor=NO_SCORE_FILL)
    white = Font(color="FFFFFF")
    for offset, row in enumerate(comparison.rows, start=1):
        number = FIRST_ROW + offset
        values: list[object] = [row.area, row.region, row.year]
        pairs = [(row.overall, row.overall_band), *zip(row.principle_scores, row.principle_bands, strict=True)]
        values += [_score(row.overall), tables.band_text(bank, row.overall_band), row.overall_rank or ""]
        for value, band in pairs[1:]:
            values += [_score(value), tables.band_text(bank, band)]
        values += [row.bank_version, row.file or "Saved in the app"]
        writer.row(sheet, number, values)
        coloured = [(4, pairs[0][1])] + [(7 + 2 * i, band) for i, (_, band) in enumerate(pairs[1:])]
        for column, band in coloured:
            sheet.cell(row=number, column=column).number_format = "0.0"
            for cell in (sheet.cell(row=number, column=column), sheet.cell(row=number, column=column + 1)):
                cell.fill = fills[band]
                if band in (0, 4):
                    cell.font = white
    last_column = len(names)
    style.widths(sheet, {get_column_letter(c): 11 for c in range(1, last_column + 1)})
    style.widths(sheet, {"A": 26, "B": 18, "C": 7, "E": 14, get_column_letter(last_column): 22})
    for i in range(len(comparison.principle_names)):
        sheet.column_dimensions[get_column_letter(8 + 2 * i)].width = 14
    style.wrap_block(sheet, FIRST_ROW + 1, FIRST_ROW + len(comparison.rows), last_column)
    _filterable(sheet, last_column, FIRST_ROW + max(len(comparison.rows), 1))
    # The principles' names, in full, below the table.
    below = FIRST_ROW + len(comparison.rows) + 2
    writer.put(sheet.cell(row=below, column=1), "Principles: " + "; ".join(comparison.principle_names))
    style.print_setup(sheet, title_rows=f"{FIRST_ROW}:{FIRST_ROW}")


def _score(value: float | None) -> object:
    return INSUFFICIENT if value is None else value
