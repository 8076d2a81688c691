"""The same answers give the same figures on every page, in every file and on the command line (issue 8, part 1)."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from assessment import tables
from assessment.comparison import PartnerInvolvement, compare, comparison_dict, share_text
from assessment.files.excel.reader import read_workbook
from assessment.files.excel.report import build_report
from assessment.files.json import scorecard_dict
from assessment.model import AssessmentError, StatementAnswer
from assessment.plan import build_plan
from assessment.scoring import percent_text, round_percent, score
from assessment.services import create_example, save_action, start_assessment
from assessment.store import Store
from benchmarks.loader import get_library
from questions.loader import get_bank
from tests.factories import make_assessment, make_bank
from tests.unit.excel_helpers import column_of, edit, rows_by_ref

BANK = get_bank()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "figures.sqlite3")


# ---- percentages: one formatter, halves up -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "shown"), [(12.5, "13%"), (62.5, "63%"), (37.5, "38%"), (87.5, "88%"), (0.0, "0%"), (100.0, "100%")]
)
def test_a_percentage_is_shown_to_the_whole_number_with_halves_rounding_up(value, shown):
    assert percent_text(value) == shown
    assert round_percent(value) == int(shown[:-1])


def test_the_results_table_shows_12_5_percent_as_13_percent():
    bank = BANK
    operational = [i.id for i in bank.partners.indicators if i.level == "operational"]
    assert len(operational) == 4, "the real bank asks four operational questions"
    assessment = make_assessment(bank_version=bank.version)
    assessment.partner_answers["police"] = dict(zip(operational, ("no", "no", "partly", "no"), strict=True))
    scorecard = score(bank, assessment)
    police = next(c for c in scorecard.partners if c.partner.id == "police")
    assert police.operational == 12.5
    row = next(r for r in tables.partner_rows(scorecard) if r["Partner"] == police.partner.name)
    assert row["Operational level"] == "Not involved (13%)"


def test_the_comparison_csv_text_and_json_round_halves_up():
    bank = BANK
    operational = [i.id for i in bank.partners.indicators if i.level == "operational"]
    strategic = [i.id for i in bank.partners.indicators if i.level == "strategic"]
    areas = []
    # Eight areas answer about mental health; one is involved: 12.5% of areas.
    for number in range(8):
        assessment = make_assessment(area=f"Area {number}", bank_version=bank.version)
        value = "yes" if number == 0 else "no"
        assessment.partner_answers["mental_health"] = dict.fromkeys(strategic + operational, value)
        areas.append(assessment)
    comparison = compare(bank, areas)
    share = next(s for s in comparison.partner_shares if s.partner.id == "mental_health")
    assert share.share == 12.5
    assert share_text(share).startswith("13% ")
    data = comparison_dict(comparison)
    row = next(p for p in data["partners"] if p["partner"] == share.partner.name)
    assert row["share_percent"] == 13


# ---- not known is never a blank or a No ------------------------------------------------------------------------
def test_a_partner_with_one_level_not_known_and_the_other_not_involved_is_not_known():
    bank = make_bank()
    assessment = make_assessment()
    assessment.partner_answers["police"] = {"board": "no", "vision": "no"}  # operational: no answers
    coverage = next(c for c in score(bank, assessment).partners if c.partner.id == "police")
    assert coverage.strategic == 0.0 and coverage.operational is None
    assert coverage.involved is None
    row = next(r for r in tables.partner_rows(score(bank, assessment)) if r["Partner"] == "Police")
    assert row["Involved"] == "Not known"
    assert scorecard_dict(bank, score(bank, assessment))["partners"][0]["involved"] is None


def test_a_partner_involved_at_one_level_is_involved_even_if_the_other_is_not_known():
    bank = make_bank()
    assessment = make_assessment()
    assessment.partner_answers["police"] = {"board": "yes", "vision": "partly"}
    coverage = next(c for c in score(bank, assessment).partners if c.partner.id == "police")
    assert coverage.involved is True
    assessment.partner_answers["police"] = {"board": "no", "vision": "no", "meetings": "no", "contact": "partly"}
    coverage = next(c for c in score(bank, assessment).partners if c.partner.id == "police")
    assert coverage.involved is False


@pytest.mark.parametrize(
    "answers",
    [
        {"board": "no", "vision": "no"},  # strategic not involved, operational not known
        {"board": "yes", "vision": "partly"},  # strategic involved, operational not known
        {"board": "no", "vision": "no", "meetings": "no", "contact": "partly"},  # neither level involved
        {"meetings": "yes", "contact": "yes"},  # operational only
        {},
    ],
)
def test_compare_says_involved_or_not_known_exactly_as_the_scorecard_does(answers):
    bank = make_bank()
    assessment = make_assessment()
    assessment.partner_answers["police"] = dict(answers)
    coverage = next(c for c in score(bank, assessment).partners if c.partner.id == "police")
    involvement = PartnerInvolvement.from_coverage(coverage)
    assert involvement.involved is coverage.involved
    assert (involvement.text() == "Not known") is (coverage.involved is None)


def test_the_report_says_not_known_for_a_coverage_nobody_knows():
    assessment = make_assessment(bank_version=BANK.version)
    strategic = [i.id for i in BANK.partners.indicators if i.level == "strategic"]
    assessment.partner_answers["police"] = dict.fromkeys(strategic, "no")
    workbook = load_workbook(io.BytesIO(build_report(BANK, assessment)))
    sheet = workbook["Partners"]
    police_row = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Police")
    assert "Not known" in police_row  # the operational coverage and whether the police are involved
    assert police_row.count("Not known") >= 2


# ---- counting answers --------------------------------------------------------------------------------------------
def test_a_not_applicable_without_a_reason_is_not_counted_as_answered():
    bank = make_bank()
    assessment = make_assessment({"s1-1": "2", "s1-2": "na"})
    assessment.answers["s1-3"] = StatementAnswer(choice="not_applicable")  # no reason yet
    scorecard = score(bank, assessment)
    assert scorecard.answered_count() == 2
    assert scorecard_dict(bank, scorecard)["statements_answered"] == 2


# ---- a gap is closed only when answered again ------------------------------------------------------------------
AID = "p6-plan-the-exit@statement:p6-exit-strategy"


def _carried_forward(store: Store):
    last_year = start_assessment(store, BANK, area="Testshire", year=2026)
    statement_id = AID.split(":")[1]
    last_year.answers[statement_id] = StatementAnswer(choice="1")
    save_action(store, last_year, AID, owner="Head of IOM", status="in_progress")
    return start_assessment(store, BANK, area="Testshire", year=2027), statement_id


def test_an_action_carried_into_a_new_year_is_open_and_not_yet_re_assessed_until_answered(store):
    this_year, _ = _carried_forward(store)
    plan = build_plan(BANK, get_library(), this_year, score(BANK, this_year))
    assert [a.id for a in plan.closed] == []
    awaiting = plan.action(AID)
    assert awaiting.state == "awaiting"
    assert "not yet re-assessed" in awaiting.rank_reason.lower()
    assert "Not yet re-assessed" in awaiting.gaps[0].description


def test_the_carried_action_s_gap_closes_once_the_statement_is_answered_at_its_target(store):
    this_year, statement_id = _carried_forward(store)
    this_year.answers[statement_id] = StatementAnswer(choice="4")
    plan = build_plan(BANK, get_library(), this_year, score(BANK, this_year))
    assert plan.action(AID).state == "closed"


def test_a_don_t_know_does_not_close_a_carried_gap(store):
    this_year, statement_id = _carried_forward(store)
    this_year.answers[statement_id] = StatementAnswer(choice="dont_know")
    plan = build_plan(BANK, get_library(), this_year, score(BANK, this_year))
    assert plan.action(AID).state == "awaiting"


def test_a_carried_partner_action_waits_for_an_answer_about_that_partner(store):
    last_year = start_assessment(store, BANK, area="Testshire", year=2026)
    plan = build_plan(BANK, get_library(), last_year, score(BANK, last_year))
    partner_action = next(a for a in plan.actions if a.partner_id is not None and a.gaps[0].level)
    save_action(store, last_year, partner_action.id, status="in_progress")
    this_year = start_assessment(store, BANK, area="Testshire", year=2027)
    this_plan = build_plan(BANK, get_library(), this_year, score(BANK, this_year))
    # Nothing answered about that partner this year: its action is open, listed once.
    assert sum(1 for a in this_plan.all() if a.id == partner_action.id) == 1
    assert this_plan.action(partner_action.id).state in ("open", "awaiting")
    assert partner_action.id not in {a.id for a in this_plan.closed}


# ---- the importer names the cell of every value it rejects -----------------------------------------------------
def test_changing_added_by_the_board_on_a_suggested_action_names_the_cell_and_the_fix(store):
    assessment = start_assessment(store, BANK, area="Testshire", year=2026)
    save_action(store, assessment, AID, owner="Head of IOM")
    report = build_report(BANK, store.get(assessment.id))
    sheet = load_workbook(io.BytesIO(report))["Action plan"]
    column, row = column_of(sheet, "Added by the board"), rows_by_ref(sheet)[AID]
    cell = f"{get_column_letter(column)}{row}"

    def flag_as_own(workbook):
        workbook["Action plan"][cell] = "Yes"

    with pytest.raises(AssessmentError) as refused:
        read_workbook(BANK, edit(report, flag_as_own), filename="report.xlsx")
    message = str(refused.value)
    assert f"Action plan!{cell}" in message
    assert "may be damaged" not in message
    assert "Change it back to No" in message


# ---- the example area --------------------------------------------------------------------------------------------
def test_trying_the_example_twice_opens_the_same_example(store):
    first = create_example(store, BANK)
    second = create_example(store, BANK)
    assert first.id == second.id
    assert sum(1 for s in store.list() if s.is_example) == 1


def test_the_json_export_of_the_comparison_is_plain_data():
    data = comparison_dict(compare(BANK, [make_assessment(bank_version=BANK.version)]))
    assert json.loads(json.dumps(data)) == data
