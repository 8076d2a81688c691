"""Round trips as properties: any assessment, written as a report, a filled template or JSON, reads back the same."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.files.excel.reader import read_workbook
from assessment.files.excel.report import build_report
from assessment.files.json import export_json, read_json, scorecard_dict
from assessment.model import ActionEdit, Assessment, StatementAnswer
from assessment.privacy import find_personal_data
from assessment.scoring import score
from questions.loader import get_bank
from tests.unit.excel_helpers import fill_template, to_format_1

BANK = get_bank()
STATEMENTS = [s.id for _, s in BANK.statements()]
PARTNERS = [p.id for p in BANK.partners.partners]
INDICATORS = [i.id for i in BANK.partners.indicators]
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as people type it: letters, digits, punctuation, symbols and spaces in any script, with line breaks,
# sometimes starting like a formula. Stored notes are trimmed, as the app trims them. Text that looks like personal
# data is left out: files show it masked on purpose (tests/unit/test_privacy.py), so it does not read back as typed.
_characters = st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\r")
_plain = st.text(_characters | st.just("\n"), max_size=40)
text = (
    st.tuples(st.sampled_from(["", "=", "+", "-", "@", "=SUM(A1:A9)"]), _plain)
    .map(lambda t: (t[0] + t[1]).strip())
    .filter(lambda t: not find_personal_data(t))
)
short_text = text.map(lambda t: t[:150].strip())
area = st.text(_characters, min_size=1, max_size=60).map(lambda t: " ".join(t.split())).filter(bool)
choice = st.sampled_from(["0", "1", "2", "3", "4", "dont_know", "not_applicable", None])
answer = st.builds(StatementAnswer, choice=choice, evidence=text, na_reason=text).filter(lambda a: not a.is_empty)
partner_choice = st.sampled_from(["yes", "partly", "no", "dont_know"])
due = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
status = st.sampled_from(["not_started", "in_progress", "done", "dropped"])


@st.composite
def plan_edits(draw) -> dict[str, ActionEdit]:
    edits: dict[str, ActionEdit] = {}
    for number in range(draw(st.integers(0, 3))):
        edit = ActionEdit(
            action_id=f"own-{number}{draw(st.from_regex(r'[a-z0-9]{4,8}', fullmatch=True))}",
            own=True,
            what=draw(text.filter(bool)),
            lead=draw(short_text),
            principle=draw(st.none() | st.integers(1, 6)),
            partner_id=draw(st.none() | st.sampled_from(PARTNERS)),
            owner=draw(short_text),
            due=draw(due),
            status=draw(status),
            notes=draw(text),
            dropped_reason=draw(text),
        )
        edits[edit.action_id] = edit
    for _ in range(draw(st.integers(0, 3))):
        statement = draw(st.sampled_from(STATEMENTS))
        edit = ActionEdit(
            action_id=f"{draw(st.from_regex(r'[a-z]{3,10}', fullmatch=True))}@statement:{statement}",
            owner=draw(short_text),
            due=draw(due),
            status=draw(status),
            notes=draw(text),
        )
        if edit != ActionEdit(action_id=edit.action_id):  # the app keeps no record of an untouched action
            edits[edit.action_id] = edit
    return edits


assessments = st.builds(
    Assessment,
    area=area,
    year=st.integers(2000, 2100),
    bank_version=st.just(BANK.version),
    answers=st.dictionaries(st.sampled_from(STATEMENTS), answer, max_size=len(STATEMENTS)),
    partner_answers=st.dictionaries(
        st.sampled_from(PARTNERS), st.dictionaries(st.sampled_from(INDICATORS), partner_choice, min_size=1)
    ),
    targets=st.dictionaries(st.integers(1, 6), st.integers(0, 4)),
    plan=plan_edits(),
)


def assert_same(original: Assessment, read: Assessment, *, with_plan: bool) -> None:
    assert read.area == original.area
    assert read.year == original.year
    assert read.answers == original.answers
    assert read.partner_answers == original.partner_answers
    assert [read.target(n) for n in range(1, 7)] == [original.target(n) for n in range(1, 7)]
    if with_plan:
        assert read.plan == original.plan
    assert scorecard_dict(BANK, score(BANK, read)) == scorecard_dict(BANK, score(BANK, original))


@SETTINGS
@given(assessments)
def test_a_report_reads_back_as_the_same_answers_plan_and_scores(assessment):
    imported = read_workbook(BANK, build_report(BANK, assessment))
    assert imported.kind == "report"
    assert imported.warnings == ()
    assert_same(assessment, imported.assessment, with_plan=True)


@SETTINGS
@given(assessments)
def test_a_filled_template_reads_back_as_the_same_answers_and_scores(assessment):
    imported = read_workbook(BANK, fill_template(BANK, assessment))
    assert imported.kind == "template"
    assert_same(assessment, imported.assessment, with_plan=False)


@SETTINGS
@given(assessments)
def test_workbooks_saved_before_the_no_column_still_read_back_the_same(assessment):
    report = read_workbook(BANK, to_format_1(build_report(BANK, assessment)))
    assert report.kind == "report"
    assert_same(assessment, report.assessment, with_plan=True)
    template = read_workbook(BANK, to_format_1(fill_template(BANK, assessment)))
    assert template.kind == "template"
    assert_same(assessment, template.assessment, with_plan=False)


@settings(max_examples=40, deadline=None)
@given(assessments)
def test_json_reads_back_as_the_same_assessment(assessment):
    imported = read_json(BANK, export_json(assessment).encode())
    assert_same(assessment, imported.assessment, with_plan=True)
    assert imported.assessment.id != assessment.id  # a new assessment, never a clash with the original
