"""`make bench` rows for comparing areas at national scale, with returns generated here.

- ``compare`` (the command: read every file, compare, write the workbook) on 430 returns against 43: CPU time.
- The Compare page's first render with 430 saved areas against 2.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from tests import bench
from tests.national import national_returns


def _cpu(action, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return sorted(times)[len(times) // 2]


def _write_returns(folder: Path, returns) -> None:
    from assessment.files.json import export_json

    folder.mkdir(parents=True, exist_ok=True)
    for n, assessment in enumerate(returns):
        (folder / f"{n:04d}.json").write_text(export_json(assessment), encoding="utf-8")


def compare_rows(store, bank, example, rows, folder: Path) -> list[bench.Row]:
    import contextlib
    import io

    from assessment.__main__ import main

    small = national_returns(bank, (2026,))
    large = national_returns(bank, (2026,), schemes=10)
    _write_returns(folder / "r43", small)
    _write_returns(folder / "r430", large)

    def run(name: str) -> None:
        with contextlib.redirect_stderr(io.StringIO()):
            assert main(["compare", str(folder / name), "-o", str(folder / f"{name}.xlsx")]) == 0

    measured = [
        bench.Row("compare 430 returns to a workbook (CPU)", _cpu(lambda: run("r430")), "compare 43 returns", 0, 10.5)
    ]
    measured[0].baseline = _cpu(lambda: run("r43"))
    measured.append(_page_row(bank, small[:2], large))
    return measured


def _page_row(bank, two, many) -> bench.Row:
    """The Compare page's first render (a new session) with 430 saved areas against 2, each on its own store."""
    from assessment.store import Store

    def first_render(assessments) -> float:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "compare.sqlite3"
            os.environ["IOM_DB_PATH"] = str(path)
            store = Store(path)
            for assessment in assessments:
                store.create(assessment)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                at = bench._app_test("app_pages/compare.py")
                times.append(time.perf_counter() - start)
                assert not at.exception, at.exception
            return sorted(times)[1]

    previous = os.environ.get("IOM_DB_PATH")
    try:
        baseline = first_render(two)
        measured = first_render(many)
    finally:
        if previous is not None:
            os.environ["IOM_DB_PATH"] = previous
    return bench.Row("Compare page first render, 430 areas", measured, "the same with 2 areas", baseline, 3.0)


bench.EXTRA_DOMAIN_ROWS.append(compare_rows)
