"""`make bench` rows for Excel in and out (issue 4), registered with ``tests.bench`` when this module exists.

- Building the report against pandas ``to_excel`` of the same tables (target at most 2x).
- Reading a filled template against a bare openpyxl read-only load of the same file (target at most 2x).
- Importing 43 filled templates one after another, one per police force area: total and per file.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from tests.bench import EXTRA_DOMAIN_ROWS, Row, median_time

FORCE_AREAS = 43


def excel_rows(store, bank, example, rows, folder: Path) -> list[Row]:
    import pandas as pd
    from openpyxl import load_workbook

    from assessment import tables
    from assessment.files.excel.reader import read_workbook
    from assessment.files.excel.report import action_rows, build_report
    from assessment.scoring import score
    from assessment.services import read_upload, save_import
    from assessment.store import Store
    from tests.unit.excel_helpers import fill_template

    def pandas_tables() -> bytes:
        scorecard = score(bank, example)
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            pd.DataFrame(tables.principle_rows(bank, scorecard)).to_excel(writer, sheet_name="Principles")
            pd.DataFrame(tables.partner_rows(scorecard)).to_excel(writer, sheet_name="Partners")
            pd.DataFrame([vars(r) for r in action_rows(bank, example, scorecard)]).to_excel(writer, sheet_name="Plan")
            statements = tables.statement_rows(bank, example, scorecard.statement_results())
            pd.DataFrame(statements).to_excel(writer, sheet_name="Responses")
        return buffer.getvalue()

    report = median_time(lambda: build_report(bank, example), repeat=9)
    baseline = median_time(pandas_tables, repeat=9)
    filled = fill_template(bank, example)

    def bare_read() -> None:
        workbook = load_workbook(io.BytesIO(filled), read_only=True)
        for sheet in workbook:
            for _ in sheet.iter_rows(values_only=True):
                pass
        workbook.close()

    read = median_time(lambda: read_workbook(bank, filled), repeat=9)
    bare = median_time(bare_read, repeat=9)

    returns = [
        fill_template(bank, example.model_copy(update={"area": f"Force area {n:02d}", "is_example": False}))
        for n in range(FORCE_AREAS)
    ]
    target = Store(folder / "returns.sqlite3")
    start = time.perf_counter()
    for number, data in enumerate(returns):
        save_import(target, read_upload(bank, data, filename=f"area-{number}.xlsx"))
    total = time.perf_counter() - start
    return [
        Row(
            "Excel report built (six sheets, chart, table)", report, "pandas to_excel of the same tables", baseline, 2.0
        ),
        Row("Filled template read and checked", read, "bare openpyxl read-only load", bare, 2.0),
        Row(f"Import {FORCE_AREAS} filled templates (total)", total, "one import", total / FORCE_AREAS, None),
        Row(
            "Import of one filled template (mean of 43)",
            total / FORCE_AREAS,
            "bare openpyxl read-only load",
            bare,
            None,
        ),
    ]


EXTRA_DOMAIN_ROWS.append(excel_rows)
