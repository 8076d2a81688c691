"""`make bench`: speed ratios against baselines measured in the same run, printed as a table.

Each row times something the product does and something it is compared with, on this machine and
in this process, and prints the ratio beside its target. Timings are medians of repeated runs.
Never use these numbers in a test: machines differ; only the ratios mean something.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    name: str
    measured: float
    baseline_name: str
    baseline: float
    target: float | None

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "-"
        return "ok" if self.ratio <= self.target else "OVER"


def median_time(action: Callable[[], object], *, repeat: int = 15, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _share_script_cache() -> None:
    """A running server compiles each page once and keeps the bytecode; AppTest compiles on every run.

    Give AppTest one shared cache, as the server has, so that page rows time the page, not the compiler.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


def _app_test(page: str | None, assessment_id: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.run()  # the first run registers the pages' URL paths, so switch_page can find every page
    if page:
        at.switch_page(page)
    return at.run()


def one_widget_baseline():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.radio('Choose', ['a', 'b'], key='r')\n").run()
    flip = iter(["a", "b"] * 10_000)
    return median_time(lambda: at.radio(key="r").set_value(next(flip)).run())


def page_rows(baseline: float, assessment_id: str, bank) -> list[Row]:
    rows = []
    survey = _app_test("app_pages/survey.py", assessment_id)
    statement = bank.principles[0].statements[0]
    levels = iter(["1", "2", "3", "4"] * 10_000)
    key = f"{assessment_id}.{statement.id}.choice"
    rows.append(
        Row(
            "Survey page rerun after one answer changes",
            median_time(lambda: survey.radio(key=key).set_value(next(levels)).run()),
            "one-widget page rerun",
            baseline,
            2.0,
        )
    )
    results = _app_test("app_pages/results.py", assessment_id)
    rows.append(Row("Results page rerun", median_time(results.run), "one-widget page rerun", baseline, 3.0))
    for extra in EXTRA_PAGE_ROWS:
        rows.extend(extra(baseline, assessment_id, bank))
    return rows


# Further rows register here (action plan, Excel): each returns a list of Row.
EXTRA_PAGE_ROWS: list[Callable[..., list[Row]]] = []
EXTRA_DOMAIN_ROWS: list[Callable[..., list[Row]]] = []


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["IOM_DB_PATH"] = str(Path(folder) / "bench.sqlite3")
        sys.path.insert(0, str(ROOT))
        from assessment.services import create_example
        from assessment.store import Store
        from questions.loader import get_bank

        _share_script_cache()
        _register_optional_rows()
        bank = get_bank()
        store = Store()
        example = create_example(store, bank)
        baseline = one_widget_baseline()
        rows = page_rows(baseline, example.id, bank)
        for extra in EXTRA_DOMAIN_ROWS:
            rows.extend(extra(store, bank, example, rows, Path(folder)))
    print_table(rows)
    from tests.bench_answering import print_answering

    print_answering()  # actions per answer, from the browser walk of the whole survey
    # Counts, not ratios: 20 browser sessions saving at once, with the server killed and restarted in run 2.
    from tests.bench_saves import saving_section

    outcomes = saving_section()
    return 1 if any(o.lost or o.crossed for o in outcomes) else 0


def _register_optional_rows() -> None:
    """Rows for capabilities that may not be built yet are added when their module exists."""
    for module in ("tests.bench_plan", "tests.bench_excel", "tests.bench_compare", "tests.bench_answering"):
        try:
            __import__(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


def print_table(rows: list[Row]) -> None:
    header = f"{'measure':<58} {'time':>10} {'baseline':<34} {'base time':>10} {'ratio':>7} {'target':>7} {'':>4}"
    print(header)
    print("-" * len(header))
    for row in rows:
        target = "-" if row.target is None else f"≤{row.target:g}x"
        print(
            f"{row.name:<58} {row.measured * 1000:>8.2f}ms {row.baseline_name:<34} {row.baseline * 1000:>8.2f}ms "
            f"{row.ratio:>6.2f}x {target:>7} {row.verdict:>4}"
        )
    print("\nTimes are medians on this machine; AppTest runs the real page scripts in process, so page rows")
    print("include the same fixed AppTest cost as the one-widget baseline. The survey row includes saving the")
    print("answer to SQLite (one transaction, fsync'd); the Results and Action plan rows are reruns with nothing")
    print("changed, which reuse the scorecard and plan of the saved revision.")


if __name__ == "__main__":
    # Run the imported module, not this __main__ copy, so rows that tests.bench_* register are the ones printed.
    from tests import bench

    raise SystemExit(bench.main())
