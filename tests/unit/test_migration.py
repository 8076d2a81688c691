"""Question bank 2026.1 to 2026.2: every old statement mapped, and an assessment made on 2026.1 arrives on 2026.2
with its answers where they belong and a list of what changed, whether it is opened from the store, imported from
a workbook or imported from JSON.

The 2026.1 assessment and workbook are built in the tests from what the app keeps of the 2026.1 bank
(``questions/bank/migrations/2026.1.toml``) and the migration data, never from hand-copied ids.
"""

from __future__ import annotations

import shutil
from itertools import cycle

import pytest

from assessment.files.excel.reader import read_workbook
from assessment.files.json import export_json, read_json
from assessment.migration import migrate
from assessment.model import ActionEdit, Assessment, StatementAnswer
from assessment.services import answer_as, open_saved, start_assessment
from assessment.store import Store
from benchmarks.loader import get_action_rules
from questions.loader import BankError, get_bank
from questions.migrations import MIGRATIONS_DIR, migrations, old_bank, path_between
from questions.models import QuestionBank

BANK = get_bank()
OLD = old_bank("2026.1")
MIGRATION = migrations()["2026.1"]


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "iom.sqlite3")


def old_2026_1_bank() -> QuestionBank:
    """A 2026.1 bank for building 2026.1 files: its statement ids and wording kept by the app, the rest from 2026.2."""
    data = BANK.model_dump()
    data["version"] = "2026.1"
    template = data["principles"][0]["statements"][0]
    for principle in data["principles"]:
        principle["statements"] = [
            {**template, "id": item["id"], "text": item["text"], "weight": 1.0}
            for item in OLD.statements
            if item["principle"] == principle["number"]
        ]
    data["partners"]["partners"] = [p for p in data["partners"]["partners"] if p["id"] in OLD.partners]
    return QuestionBank.model_validate(data)


def assessment_on_2026_1() -> Assessment:
    """Answers to every 2026.1 statement and partner, and records of two suggested actions."""
    choices = cycle(["0", "1", "2", "3", "4", "dont_know"])
    answers = {
        sid: StatementAnswer(choice=next(choices), evidence=f"Evidence for {sid}") for sid in OLD.statement_ids()
    }
    partner_answers = {pid: dict.fromkeys(OLD.indicators, "partly") for pid in OLD.partners}
    plan = {
        aid: ActionEdit(action_id=aid, owner="IOM manager", status="in_progress")
        for aid in (
            "p5-regular-operational-meetings@statement:p5-operational-meetings",
            "p3-identify-early@statement:p3-early-identification",
        )
    }
    return Assessment(
        area="Oldshire",
        year=2026,
        bank_version="2026.1",
        answers=answers,
        partner_answers=partner_answers,
        plan=plan,
        targets={1: 3},
    )


# ---- the mapping -------------------------------------------------------------------------------------------------


def test_the_bank_in_use_is_2026_2_and_there_is_a_path_from_2026_1():
    assert BANK.version == "2026.2"
    assert [(m.from_version, m.to_version) for m in path_between("2026.1", BANK.version)] == [("2026.1", "2026.2")]


def test_every_2026_1_statement_is_mapped_exactly_once_to_statements_that_exist():
    assert len(OLD.statement_ids()) == 36
    assert sorted(change.old for change in MIGRATION.statements) == sorted(OLD.statement_ids())
    for change in MIGRATION.statements:
        for new_id in change.new:
            assert BANK.has_statement(new_id), (change.old, new_id)
        assert change.change != "removed" or change.fresh_look == "no"


def test_every_2026_2_statement_and_partner_is_accounted_for():
    targets = {new_id for change in MIGRATION.statements for new_id in change.new}
    added = {item.id for item in MIGRATION.added if item.kind == "statement"}
    assert targets | added == {s.id for _, s in BANK.statements()}
    assert not targets & added
    new_partners = {p.id for p in BANK.partners.partners} - set(OLD.partners)
    assert new_partners == {item.id for item in MIGRATION.added if item.kind == "partner"} == {"pcc"}


def test_an_unchanged_id_keeps_its_id_and_a_moved_or_split_one_changes_it():
    for change in MIGRATION.statements:
        if change.change in ("levels", "reworded"):
            assert change.new == (change.old,)
        if change.change in ("moved", "split"):
            assert change.new != (change.old,)


def test_the_statement_numbers_a_reason_quotes_are_the_2026_2_numbers():
    refs = {s.id: f"{p.number}.{n}" for p in BANK.principles for n, s in enumerate(p.statements, start=1)}
    assert "(4.4)" in MIGRATION.change("p4-right-interventions").reason
    assert refs["p4-tailored-packages"] == "4.4" and refs["p4-intervention-range"] == "4.3"
    assert refs["p1-lead-professional"] == "1.3" and refs["p4-management-plan"] == "4.6"
    assert refs["p2-service-gaps"] == "2.5" and {refs["p3-any-partner-refers"], refs["p3-no-gaps"]} == {"3.2", "3.4"}


def test_a_migration_file_that_maps_an_id_twice_is_refused(tmp_path):
    shutil.copytree(MIGRATIONS_DIR, tmp_path / "m")
    path = tmp_path / "m" / "2026.1-to-2026.2.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('old = "p1-common-threat-picture"', 'old = "p1-information-sharing"'), "utf-8")
    with pytest.raises(BankError, match="mapped more than once"):
        migrations(tmp_path / "m")


# ---- applying it -------------------------------------------------------------------------------------------------


def expected_answers(old: Assessment) -> dict[str, StatementAnswer]:
    expected: dict[str, StatementAnswer] = {}
    for change in MIGRATION.statements:
        for new_id in change.new:
            expected[new_id] = old.answers[change.old]
    return expected


def fresh_look_expected(old: Assessment) -> set[str]:
    return {
        new_id
        for change in MIGRATION.statements
        if change.needs_fresh_look(old.answers[change.old].choice)
        for new_id in change.new
    }


def check_changes(changes: tuple[str, ...] | list[str]) -> None:
    text = "\n".join(changes)
    assert "made on question bank 2026.1; it is now on 2026.2" in text
    assert "Statements 4.3 and 4.4 (were 4.3)" in text  # the split statement, both parts
    assert "Statement 1.7 (was 5.4): Moved to principle 1" in text
    assert "Statement 3.6 (was 5.6): Moved to principle 3" in text
    assert "Removed: statement 3.6, ‘Partners work with communities" in text
    assert "Statement 2.7 is new" in text and "Statement 4.7 is new" in text
    assert "Police and Crime Commissioner" in text
    assert "take a fresh look" in text


def test_migrating_moves_every_answer_to_its_new_statement_and_lists_the_fresh_looks():
    old = assessment_on_2026_1()
    migrated = migrate(BANK, "2026.1", old.answers, old.plan, partner_ids=set(old.partner_answers))
    assert migrated.answers == expected_answers(old)
    assert "p3-early-identification" not in migrated.answers
    assert set(migrated.fresh_look) == fresh_look_expected(old)
    assert 10 < len(migrated.fresh_look) < len(migrated.answers)  # some answers need a fresh look, not all
    # A levels-only change asks for a fresh look only where the answer is Established or Embedded.
    sharing = MIGRATION.change("p1-information-sharing")
    assert sharing.change == "levels" and sharing.fresh_look == "established"
    assert ("p1-information-sharing" in migrated.fresh_look) == (old.answers["p1-information-sharing"].choice in "34")
    check_changes(migrated.changes)
    # The board's record follows its statement; a record whose statement was removed is kept as it was.
    assert set(migrated.plan) == {
        "p5-regular-operational-meetings@statement:p1-operational-meetings",
        "p3-identify-early@statement:p3-early-identification",
    }
    moved = migrated.plan["p5-regular-operational-meetings@statement:p1-operational-meetings"]
    assert moved.action_id == "p5-regular-operational-meetings@statement:p1-operational-meetings"
    assert moved.owner == "IOM manager" and moved.status == "in_progress"
    assert get_action_rules().rule("p5-regular-operational-meetings").statements == ("p1-operational-meetings",)


def test_a_saved_2026_1_assessment_opens_on_2026_2_with_its_answers_and_the_list_of_changes(store):
    old = store.create(assessment_on_2026_1())
    opened = open_saved(store, BANK, old.id)
    assert opened.id == old.id and opened.bank_version == "2026.2"
    assert opened.answers == expected_answers(old)
    assert opened.partner_answers == old.partner_answers and opened.targets == old.targets
    saved = store.get(old.id)
    assert saved.bank_version == "2026.2" and saved.answers == opened.answers
    assert "p5-regular-operational-meetings@statement:p1-operational-meetings" in saved.plan
    update = store.bank_update(old.id)
    assert (update.from_version, update.to_version) == ("2026.1", "2026.2")
    assert set(update.fresh_look) == fresh_look_expected(old)
    check_changes(update.changes)
    # Opening it again changes nothing and keeps the list until the board hides it.
    again = open_saved(store, BANK, old.id)
    assert again.answers == opened.answers and store.bank_update(old.id) == update
    store.dismiss_bank_update(old.id)
    assert store.bank_update(old.id) is None


def test_next_year_started_from_a_2026_1_year_carries_its_records_to_the_new_statements(store):
    store.create(assessment_on_2026_1())
    new_year = start_assessment(store, BANK, area="Oldshire", year=2027)
    assert new_year.bank_version == "2026.2"
    assert "p5-regular-operational-meetings@statement:p1-operational-meetings" in new_year.plan


def test_a_2026_1_json_export_imports_on_2026_2_with_the_answers_mapped_and_the_changes_listed():
    old = assessment_on_2026_1()
    imported = read_json(BANK, export_json(old).encode("utf-8"))
    assert imported.assessment.bank_version == "2026.2"
    assert imported.assessment.answers == expected_answers(old)
    assert "p5-regular-operational-meetings@statement:p1-operational-meetings" in imported.assessment.plan
    check_changes(imported.changes)


@pytest.mark.parametrize("kind", ["template", "report"])
def test_a_2026_1_workbook_imports_on_2026_2_with_the_answers_mapped_and_the_changes_listed(kind):
    from assessment.files.excel.report import build_report
    from assessment.files.excel.template import build_template

    old_bank_model = old_2026_1_bank()
    old = assessment_on_2026_1()
    data = (build_template if kind == "template" else build_report)(old_bank_model, old)
    imported = read_workbook(BANK, data)
    assert imported.assessment.bank_version == "2026.2"
    assert imported.assessment.answers == expected_answers(old)
    assert imported.assessment.partner_answers == old.partner_answers
    check_changes(imported.changes)
    if kind == "report":  # the board's records come back with it, following their statement
        assert "p5-regular-operational-meetings@statement:p1-operational-meetings" in imported.assessment.plan
    # No problem was reported for the statements that moved or went: the mapping accounts for all of them.
    assert not any("is no longer in the question bank" in change for change in imported.changes)


# ---- issue 10: each agency's own answers, the agreed answers and the inspector's levels follow too ----------------


def assessment_on_2026_1_answered_by_agencies() -> Assessment:
    from assessment.agreement import settled
    from assessment.model import Agreed, Moderation, Respondent

    def answers(*choices: str) -> dict[str, StatementAnswer]:
        ids = ("p4-right-interventions", "p5-operational-meetings", "p3-early-identification", "p4-management-plan")
        return {sid: StatementAnswer(choice=c, evidence=f"{c} for {sid}") for sid, c in zip(ids, choices, strict=True)}

    old = Assessment(
        area="Oldshire",
        year=2026,
        bank_version="2026.1",
        respondents=[
            Respondent(agency="police", answers=answers("3", "4", "2", "1")),
            Respondent(agency="housing", answers=answers("1", "2", "0", "1")),
        ],
        agreed={
            "p4-management-plan": Agreed(choice="1", proposed="1"),  # reworded: agreed again on 2026.2
            "p4-voluntary-sector-interventions": Agreed(choice="2", proposed="2"),  # levels only, answer 2: kept
            "p5-operational-meetings": Agreed(choice="3", proposed="2", reason="The minutes show it"),  # moved
        },
        moderation=[
            Moderation(principle=4, statement_id="p4-right-interventions", level=1, reason="Few packages seen"),
            Moderation(principle=5, statement_id="p5-operational-meetings", level=2, reason="Monthly"),
            Moderation(principle=2, level=2, reason="The whole principle"),
        ],
    )
    return settled(old)


def test_each_agencys_answers_agreed_answers_and_inspected_levels_follow_their_statements(store):
    old = store.create(assessment_on_2026_1_answered_by_agencies())
    opened = open_saved(store, BANK, old.id)
    assert opened.bank_version == "2026.2"
    police, housing = opened.respondents
    assert {sid: a.choice for sid, a in police.answers.items()} == {
        "p4-tailored-packages": "3",
        "p4-intervention-range": "3",
        "p1-operational-meetings": "4",
        "p4-management-plan": "1",
    }
    assert housing.answers["p1-operational-meetings"] == StatementAnswer(
        choice="2", evidence="2 for p5-operational-meetings"
    )
    # An agreement stands while its statement asks nothing new of it; otherwise it goes back to the proposal.
    assert {sid: a.choice for sid, a in opened.agreed.items()} == {"p4-voluntary-sector-interventions": "2"}
    assert opened.answers["p1-operational-meetings"].choice == "2"  # the proposal: the lower of 2 and 4
    assert opened.answers["p4-tailored-packages"].choice == "1"
    assert "p5-operational-meetings" not in opened.answers
    assert [(m.principle, m.statement_id) for m in opened.moderation] == [(2, None), (4, "p4-intervention-range")]
    changes = "\n".join(store.bank_update(old.id).changes)
    assert (
        "The agreed answers to statements 1.7 and 4.6 went back to the proposed levels: the statements changed, so "
        "agree them again." in changes
    )
    assert (
        "The inspector's level for statement 5.4 (on question bank 2026.1) was left out: that statement is no "
        "longer part of principle 5." in changes
    )
    assert store.get(old.id) == opened
    # Each agency's answers are saved on 2026.2: a later save proposes from them, not from the old statements.
    answer_as(store, BANK, opened, housing.id, "p1-operational-meetings", choice="4")
    assert store.get(old.id).answers["p1-operational-meetings"].choice == "4"
    assert "p5-operational-meetings" not in store.get(old.id).answers


@pytest.mark.parametrize("kind", ["json", "report", "agency template"])
def test_a_2026_1_file_answered_by_agencies_imports_on_2026_2_with_their_answers_moved(kind):
    from assessment.files.excel import layout
    from assessment.files.excel.report import build_report
    from assessment.files.excel.template import build_template
    from tests.unit.excel_helpers import edit, typed

    old = assessment_on_2026_1_answered_by_agencies()
    if kind == "json":
        imported = read_json(BANK, export_json(old).encode("utf-8"))
    elif kind == "report":
        imported = read_workbook(BANK, build_report(old_2026_1_bank(), old))
    else:
        police = old.model_copy(update={"answers": old.respondents[0].answers, "respondents": []})
        template = build_template(old_2026_1_bank(), police)
        imported = read_workbook(
            BANK,
            edit(
                template, lambda book: typed(book[layout.AREA_DETAILS].cell(layout.AGENCY_ROWS["agency"], 2), "Police")
            ),
        )
    found = imported.assessment
    assert found.bank_version == "2026.2"
    assert found.respondents[0].answers["p4-tailored-packages"].choice == "3"
    assert found.respondents[0].answers["p1-operational-meetings"].choice == "4"
    assert "p5-operational-meetings" not in found.respondents[0].answers
    assert "p5-operational-meetings" not in found.answers
    if kind != "agency template":
        assert found.respondents[1].answers["p1-operational-meetings"].choice == "2"
        assert found.answers["p1-operational-meetings"].choice == "2"  # proposed afresh: the agreement went back
        assert set(found.agreed) == {"p4-voluntary-sector-interventions"}
        assert sorted((m.principle, m.statement_id or "") for m in found.moderation) == [
            (2, ""),
            (4, "p4-intervention-range"),
        ]
        assert any("agree them again" in change for change in imported.changes)
