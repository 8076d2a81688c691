"""Files for an assessment that agencies answer separately (issue 10): the template names its agency, the report has
Respondents, Agreement, Answers by agency and Inspection sheets, and reading a report or a JSON file back keeps
all of it. Bad input says the sheet and cell."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assessment.agreement import settled
from assessment.files.excel import layout
from assessment.files.excel.reader import read_workbook
from assessment.files.excel.report import build_report
from assessment.files.imported import ImportProblems
from assessment.files.json import export_json, read_json
from assessment.model import Agreed, Assessment, Moderation, Respondent, StatementAnswer
from tests.factories import make_bank
from tests.unit.excel_helpers import edit, fill_template, typed

BANK = make_bank()
IDS = [s.id for _, s in BANK.statements()]


def three_agencies() -> Assessment:
    def answers(levels: str, note: str) -> dict[str, StatementAnswer]:
        return {sid: StatementAnswer(choice=level, evidence=note) for sid, level in zip(IDS, levels, strict=False)}

    people = [
        Respondent(agency="police", name="Sam Jones", role="DI", answers=answers("432101", "Police minutes")),
        Respondent(agency="housing", answers=answers("210", "")),
        Respondent(
            agency="other",
            agency_name="St Mungo's",
            answers={IDS[0]: StatementAnswer(choice="not_applicable", na_reason="Not our service")},
            partner_answers={"housing": {"board": "no", "meetings": "partly"}},
        ),
    ]
    people[1].partner_answers["housing"] = {"board": "yes", "meetings": "dont_know"}
    assessment = Assessment(
        area="Testshire",
        year=2026,
        bank_version=BANK.version,
        targets=dict.fromkeys(range(1, 7), 3),
        respondents=people,
        agreed={
            IDS[0]: Agreed(choice="3", proposed="2", reason="The board minutes show it", by="coord@x.example"),
            IDS[1]: Agreed(choice="2", proposed="2"),
        },
        moderation=[
            Moderation(principle=1, level=1, reason="Little shared information", by="hmi@x.example"),
            Moderation(principle=1, statement_id=IDS[1], level=0, reason="No agreement seen"),
        ],
    )
    return settled(assessment, BANK)


def without_microseconds(assessment: Assessment) -> dict:
    data = assessment.model_dump(exclude={"id", "created_at", "updated_at"})
    for person in data["respondents"]:
        for name in ("created_at", "updated_at"):
            person[name] = person[name].replace(microsecond=0)
    for item in [*data["agreed"].values(), *data["moderation"]]:
        item["at"] = item["at"].replace(microsecond=0)
    return data


def test_reading_a_report_back_keeps_respondents_agreement_and_moderation():
    original = three_agencies()
    read = read_workbook(BANK, build_report(BANK, original)).assessment
    assert without_microseconds(read) == without_microseconds(original)


def test_the_report_has_the_respondents_and_agreement_sheets():
    workbook = load_workbook(io.BytesIO(build_report(BANK, three_agencies())))
    for name in (layout.RESPONDENTS, layout.AGREEMENT, layout.AGENCY_ANSWERS, layout.INSPECTION):
        assert name in workbook.sheetnames
    agreement = workbook[layout.AGREEMENT]
    headings = [c.value for c in agreement[layout.HEADER_ROW]]
    assert headings[:5] == ["No.", "Statement", "Police (Sam Jones)", "Housing", "St Mungo's"]
    first = [c.value for c in agreement[layout.FIRST_DATA_ROW]]
    assert first[2:12] == [
        "4 Embedded",
        "2 Developing",
        "Not applicable",
        "2 Developing",
        "levels differ by 2",
        "3 Established",
        "Set with a reason",
        "The board minutes show it",
        "coord@x.example",
        first[11],
    ]
    inspection = workbook[layout.INSPECTION]
    assert [c.value for c in inspection[layout.FIRST_DATA_ROW]][:5] == [
        "1. Principle number 1",
        "All",  # the whole principle, not one statement
        "1.5",  # the mean of 3 and 2 (agreed) and 0 and 1 (proposed)
        "1 Emerging",
        "-0.5",
    ]


def test_the_report_marks_each_statement_not_yet_agreed():
    workbook = load_workbook(io.BytesIO(build_report(BANK, three_agencies())))
    answers = {
        row[0].split(" ")[0]: row[2]
        for row in workbook[layout.PRINCIPLES].iter_rows(values_only=True)
        if row[0] and str(row[0])[:2] == "1." and len(row) > 2 and row[2]
    }
    assert answers["1.1"] == "3 Established"  # agreed
    assert answers["1.3"] == "0 Not in place (not yet agreed)"  # proposed
    summary = {row[0]: row[1] for row in workbook[layout.SUMMARY].iter_rows(values_only=True) if row[0]}
    assert summary["Statements not yet agreed"] == f"{len(IDS) - 2} of {len(IDS)}: their proposed levels are used"
    notes = workbook[layout.RESPONSES]["A2"].value
    assert f"{len(IDS) - 2} statements are not yet agreed" in notes


def test_a_report_without_respondents_is_as_before():
    plain = Assessment(area="Testshire", year=2026, bank_version=BANK.version)
    names = load_workbook(io.BytesIO(build_report(BANK, plain))).sheetnames
    assert not {layout.RESPONDENTS, layout.AGREEMENT, layout.AGENCY_ANSWERS, layout.INSPECTION} & set(names)


def test_json_carries_respondents_agreement_and_moderation():
    original = three_agencies()
    read = read_json(BANK, export_json(original).encode()).assessment
    assert read.model_dump(exclude={"id", "created_at", "updated_at"}) == original.model_dump(
        exclude={"id", "created_at", "updated_at"}
    )


def agency_template(agency: str, other: str = "", name: str = "") -> bytes:
    answers = Assessment(
        area="Testshire",
        year=2026,
        bank_version=BANK.version,
        answers={IDS[0]: StatementAnswer(choice="3", evidence="Our minutes")},
        partner_answers={"police": {"board": "yes"}},
    )

    def choose(workbook):
        details = workbook[layout.AREA_DETAILS]
        typed(details.cell(layout.AGENCY_ROWS["agency"], 2), agency)
        typed(details.cell(layout.AGENCY_ROWS["agency_name"], 2), other or None)
        typed(details.cell(layout.AGENCY_ROWS["name"], 2), name or None)

    return edit(fill_template(BANK, answers), choose)


def test_a_template_filled_in_for_an_agency_reads_as_that_agencys_answers():
    read = read_workbook(BANK, agency_template("Housing", name="Ann")).assessment
    (respondent,) = read.respondents
    assert (respondent.agency, respondent.name) == ("housing", "Ann")
    assert respondent.answers[IDS[0]] == StatementAnswer(choice="3", evidence="Our minutes")
    assert respondent.partner_answers == {"police": {"board": "yes"}}
    assert read.answers[IDS[0]].choice == "3"  # one respondent: the partnership's answers are theirs


def test_a_template_left_for_the_board_together_reads_as_before():
    read = read_workbook(BANK, agency_template(layout.BOARD_AGENCY)).assessment
    assert read.respondents == [] and read.answers[IDS[0]].choice == "3"


@pytest.mark.parametrize(
    ("agency", "other", "message"),
    [
        ("The council", "", "Area details!B16: 'The council' is not an agency in the list"),
        (layout.OTHER_AGENCY, "", "Area details!B17: the name of the agency is missing"),
    ],
)
def test_a_bad_agency_says_which_cell_and_what_is_expected(agency, other, message):
    with pytest.raises(ImportProblems) as error:
        read_workbook(BANK, agency_template(agency, other))
    assert any(problem.startswith(message) for problem in error.value.problems)


def test_a_bad_level_on_the_answers_by_agency_sheet_names_its_cell():
    def spoil(workbook):
        typed(workbook[layout.AGENCY_ANSWERS].cell(layout.FIRST_DATA_ROW, 4), "Quite good")

    with pytest.raises(ImportProblems) as error:
        read_workbook(BANK, edit(build_report(BANK, three_agencies()), spoil))
    assert any(p.startswith("Answers by agency!D4: 'Quite good' is not one of") for p in error.value.problems)


def test_the_agreement_sheet_says_not_answered_not_flagged_and_not_needed_instead_of_not_known():
    assessment = three_agencies()
    workbook = load_workbook(io.BytesIO(build_report(BANK, assessment)))
    rows = [[c.value for c in row] for row in workbook[layout.AGREEMENT].iter_rows(min_row=layout.FIRST_DATA_ROW)]
    by_ref = {row[-1]: row for row in rows if row[-1]}
    # IDS[5]: only the police answered; housing and St Mungo's did not, and nothing is agreed yet
    last = by_ref[IDS[5]]
    assert last[2:5] == ["1 Emerging", "Not answered", "Not answered"]
    assert last[6:12] == ["No", "Not yet agreed", "Not needed", "Not needed", "Not needed", "Not needed"]
    # IDS[1]: the proposal accepted, so no reason is needed; in local mode nobody is named as agreeing it
    accepted = by_ref[IDS[1]]
    assert accepted[8:11] == [layout.ACCEPTED, "Not needed", "Not known"]
    assert by_ref[IDS[-1]][5] == "None yet (nobody has answered)"
    assert all("Not known" not in row[2:10] for row in rows if row[-1] != IDS[1])
    # the words fill cells, not answers: reading the report back keeps the same agreement
    read = read_workbook(BANK, build_report(BANK, assessment)).assessment
    assert without_microseconds(read)["agreed"] == without_microseconds(assessment)["agreed"]
