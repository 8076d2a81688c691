"""A partner added to questions/bank/partners.toml, and nowhere else, works on every path: the survey, the
results, the plan, the report, the template, both imports and the comparison."""

from __future__ import annotations

import shutil

import pytest

import questions.loader
from assessment.comparison import compare, partner_share_rows
from assessment.files.excel.reader import read_workbook
from assessment.files.excel.report import build_report
from assessment.files.excel.template import build_template
from assessment.files.json import export_json, read_json
from assessment.plan import build_plan
from assessment.scoring import score
from assessment.services import answer_partner, start_assessment
from assessment.tables import partner_rows
from benchmarks.loader import get_action_rules, get_library
from questions.loader import get_bank
from tests.app.conftest import open_page, texts
from tests.app.test_action_plan_page import open_plan
from tests.unit.excel_helpers import fill_template

NEW_ID = "fire_service"
NEW_NAME = "Fire and rescue service"
NEW_PARTNER = f"""
[[partners]]
id = "{NEW_ID}"
name = "{NEW_NAME}"
examples = "The fire and rescue service's community safety and prevention teams."
source = {{ file = "003_05e4acfc6c020f2c.txt", section = "Who is involved?" }}
"""


@pytest.fixture
def bank(tmp_path, monkeypatch):
    """The real bank with one more partner, written only into a copy of partners.toml, in use everywhere."""
    bank_dir = tmp_path / "bank"
    shutil.copytree(questions.loader.BANK_DIR, bank_dir)
    with (bank_dir / "partners.toml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_PARTNER)
    monkeypatch.setattr(questions.loader, "BANK_DIR", bank_dir)
    bank = get_bank()
    assert bank.partners.partners[-1].id == NEW_ID
    return bank


@pytest.fixture
def answered(store, bank):
    """An assessment whose only partner answers are for the new partner: Yes at strategic level, No in daily work."""
    assessment = start_assessment(store, bank, area="Northshire", year=2026)
    for indicator in bank.partners.indicators:
        answer = "yes" if indicator.level == "strategic" else "no"
        answer_partner(store, assessment, NEW_ID, indicator.id, answer)
    return store.get(assessment.id)


def test_the_new_partner_is_scored_shown_and_planned(bank, answered):
    scorecard = score(bank, answered)
    coverage = scorecard.partners[-1]
    assert (coverage.partner.id, coverage.strategic, coverage.operational) == (NEW_ID, 100.0, 0.0)
    row = partner_rows(scorecard)[-1]
    assert (row["Partner"], row["Involved"], row["National figure shown"]) == (NEW_NAME, "Yes", "No national figure")
    plan = build_plan(bank, get_library(), answered, scorecard, rules=get_action_rules())
    assert f"partner:{NEW_ID}:operational" in {gap.key for gap in plan.gaps}
    assert any(f"partner:{NEW_ID}:operational" in action.gap_keys for action in plan.actions)


def test_the_new_partner_goes_through_the_report_the_template_and_both_imports(bank, answered):
    for data in (build_report(bank, answered), fill_template(bank, answered)):
        back = read_workbook(bank, data).assessment
        assert back.partner_answers[NEW_ID] == answered.partner_answers[NEW_ID]
    assert (
        read_json(bank, export_json(answered).encode()).assessment.partner_answers[NEW_ID]
        == answered.partner_answers[NEW_ID]
    )
    assert build_template(bank)  # the blank template has a row for every partner; read back above when filled in


def test_the_new_partner_is_compared_across_areas(bank, answered):
    comparison = compare(bank, [answered])
    share = {row["Partner"]: row for row in partner_share_rows(comparison)}[NEW_NAME]
    assert share["National survey (2013)"] == "No national figure"


@pytest.mark.parametrize("page", ["app_pages/survey.py", "app_pages/results.py", "app_pages/action_plan.py"])
def test_every_page_shows_the_new_partner(bank, answered, page):
    at = open_plan(answered.id) if page.endswith("action_plan.py") else open_page(page, answered.id)
    if page.endswith("survey.py"):
        at.segmented_control(key="section").set_value("partners").run()
        at.toggle(key="survey.partner_tables").set_value(True).run()
        assert NEW_NAME in list(at.data_editor[0].value.index) + list(at.data_editor[0].value.iloc[:, 0])
    assert not at.exception, at.exception
    if page.endswith("results.py"):
        assert NEW_NAME in list(at.table[-1].value["Partner"])
    if page.endswith("action_plan.py"):
        assert NEW_NAME in texts(at) + " ".join(e.label for e in at.expander)
