"""`make bench` rows for the gap action plan (issue 3), registered with ``tests.bench`` when this module exists.

- Building the plan from a scorecard against the Results page rerun in the same run (target under a tenth).
- The Action plan page rerun against the one-widget baseline (target at most 3x).
"""

from __future__ import annotations

from tests.bench import EXTRA_DOMAIN_ROWS, EXTRA_PAGE_ROWS, ROOT, Row, median_time


def plan_page_rows(baseline: float, assessment_id: str, bank) -> list[Row]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["a"] = assessment_id
    at.run()  # registers the pages: the Action plan's url_path differs from its file name
    at.switch_page("app_pages/action_plan.py")
    at.run()
    return [Row("Action plan page rerun", median_time(at.run), "one-widget page rerun", baseline, 3.0)]


def plan_domain_rows(store, bank, example, rows, folder) -> list[Row]:
    from assessment.plan import build_plan
    from assessment.scoring import score
    from benchmarks.loader import get_action_rules, get_library

    library, rules = get_library(), get_action_rules()
    scorecard = score(bank, example)
    results = next(row for row in rows if row.name == "Results page rerun")
    measured = median_time(lambda: build_plan(bank, library, example, scorecard, rules=rules), repeat=51)
    return [Row("Building the action plan from a scorecard", measured, "Results page rerun", results.measured, 0.1)]


EXTRA_PAGE_ROWS.append(plan_page_rows)
EXTRA_DOMAIN_ROWS.append(plan_domain_rows)
