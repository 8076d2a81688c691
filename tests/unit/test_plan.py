"""The gap action plan: every gap gets an action, every example is reachable, the ranking is explained and fixed."""

from __future__ import annotations

import ast
import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.model import ActionEdit, Assessment, StatementAnswer
from assessment.plan import (
    PRIORITY_METHOD,
    ActionPlan,
    action_cost,
    action_id,
    build_plan,
    carry_forward,
    priority_method,
)
from assessment.scoring import score
from benchmarks.loader import DATA_DIR, LibraryError, get_action_rules, get_library, load_action_rules
from benchmarks.models import ActionRule
from questions.loader import LOCAL_EXAMPLE, get_bank, load_bank
from questions.models import SEED_FILES
from tests.factories import make_assessment, make_bank

BANK = get_bank()
LIBRARY = get_library()
RULES = get_action_rules()
REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
LEVELS = ("strategic", "operational")


def all_met(bank=BANK, **fields) -> Assessment:
    """An assessment with every statement at level 4 and every partner involved at both levels: no gaps."""
    return Assessment(
        area="Testshire",
        year=2026,
        bank_version=bank.version,
        answers={s.id: StatementAnswer(choice="4") for _, s in bank.statements()},
        partner_answers={p.id: {i.id: "yes" for i in bank.partners.indicators} for p in bank.partners.partners},
        **fields,
    )


def with_partner(assessment: Assessment, partner_id: str, level: str, value: str, bank=BANK) -> Assessment:
    for indicator in bank.partners.indicators:
        if indicator.level == level:
            assessment.partner_answers[partner_id][indicator.id] = value
    return assessment


def plan_for(assessment: Assessment, bank=BANK) -> ActionPlan:
    return build_plan(bank, LIBRARY, assessment, score(bank, assessment), rules=RULES)


def assessment_with_the_gap_of(rule: ActionRule) -> Assessment:
    """The smallest assessment that has a gap the rule answers."""
    assessment = all_met()
    if rule.gap == "statement":
        assessment.answers[rule.statements[0]] = StatementAnswer(choice="0")
    elif rule.gap == "statement_unknown":
        statement = rule.statements[0] if rule.statements else BANK.principles[rule.principles[0] - 1].statements[0].id
        assessment.answers[statement] = StatementAnswer(choice="dont_know")
    elif rule.gap in ("partner", "partner_unknown"):
        value = "no" if rule.gap == "partner" else "dont_know"
        with_partner(assessment, rule.partners[0] if rule.partners else "police", rule.levels[0], value)
    else:
        principle = BANK.principles[rule.principles[0] - 1]
        for statement in principle.statements:
            assessment.answers[statement.id] = StatementAnswer(choice="dont_know")
    return assessment


# ---- the rules are complete and traceable --------------------------------------------------------------------


@pytest.mark.parametrize("example", LIBRARY.examples, ids=lambda e: e.id)
def test_every_practice_example_is_brought_into_the_plan_by_a_gap(example):
    rules = [rule for rule in RULES.rules if example.id in rule.examples and not rule.fallback]
    assert rules, f"no rule cites {example.id}"
    plan = plan_for(assessment_with_the_gap_of(rules[0]))
    cited = [a for a in plan.actions if example in a.examples]
    assert cited, f"the gap for rule {rules[0].id} did not bring {example.id} into the plan"
    assert all(a.gap is not None for a in cited)


@pytest.mark.parametrize("statement_id", [s.id for _, s in BANK.statements()])
def test_every_statement_below_target_gets_a_specific_action(statement_id):
    assessment = all_met()
    assessment.answers[statement_id] = StatementAnswer(choice="2")
    actions = plan_for(assessment).for_gap(f"statement:{statement_id}")
    assert actions
    assert all(not RULES.rule(a.rule_id).fallback for a in actions), "every bank statement has its own rule"


@pytest.mark.parametrize("partner_id", [p.id for p in BANK.partners.partners])
@pytest.mark.parametrize("level", LEVELS)
def test_every_partner_not_involved_or_unknown_at_each_level_gets_an_action(partner_id, level):
    for value, key in (("no", f"partner:{partner_id}:{level}"), ("dont_know", f"unknown:{partner_id}:{level}")):
        plan = plan_for(with_partner(all_met(), partner_id, level, value))
        assert plan.for_gap(key), key
        assert [g.key for g in plan.gaps] == [key]


@pytest.mark.parametrize("number", range(1, 7))
def test_a_principle_with_insufficient_evidence_gets_an_action_to_gather_it(number):
    assessment = all_met()
    for statement in BANK.principles[number - 1].statements:
        assessment.answers[statement.id] = StatementAnswer(choice="dont_know")
    [action] = plan_for(assessment).for_gap(f"evidence:p{number}")
    assert action.title.startswith(f"Gather the evidence for principle {number} (")
    assert "{" not in action.what


@pytest.mark.parametrize("statement_id", [s.id for _, s in BANK.statements()])
def test_a_dont_know_answer_gets_an_action_to_find_out_with_what_to_look_for(statement_id):
    assessment = all_met()
    assessment.answers[statement_id] = StatementAnswer(choice="dont_know")
    plan = plan_for(assessment)
    [gap] = plan.gaps
    assert (gap.key, gap.kind, gap.points) == (f"dont-know:{statement_id}", "statement_unknown", 5)
    [action] = plan.for_gap(gap.key)
    statement = BANK.statement(statement_id)
    assert action.title.startswith("Find out where you stand: ")
    assert action.principle == BANK.principle_of(statement_id).number
    assert "{" not in action.what and "{" not in action.title
    for item in statement.evidence:  # each piece of evidence the statement lists is named as what to look for
        assert item[1:].rstrip(".") in action.what


def test_a_dont_know_answer_ranks_below_every_real_gap():
    assessment = all_met()
    assessment.answers["p3-evaluation"] = StatementAnswer(choice="dont_know")
    assessment.answers["p3-no-gaps"] = StatementAnswer(choice="2")  # the smallest statement gap: 10 points
    with_partner(assessment, "police", "operational", "partly")  # 50%: involved
    assessment.partner_answers["police"]["operational-meetings"] = "no"  # under 50%: the smallest partner gap
    ranked = [a.gap.kind for a in plan_for(assessment).actions]
    assert ranked[-1] == "statement_unknown"
    assert ranked.count("statement_unknown") == 1 and len(ranked) == 3
    assert (
        plan_for(assessment)
        .actions[-1]
        .rank_reason.startswith("Ranked 3 of 3: nobody who answered knew how far this statement is true.")
    )


def test_dont_know_answers_in_a_principle_that_cannot_be_scored_are_covered_by_gathering_its_evidence():
    assessment = all_met()
    for statement in BANK.principles[4].statements:
        assessment.answers[statement.id] = StatementAnswer(choice="dont_know")
    assert [g.key for g in plan_for(assessment).gaps] == ["evidence:p5"]


def test_the_find_out_titles_are_different_for_every_statement():
    bank = load_bank(local_file=LOCAL_EXAMPLE)
    titles = []
    for _, statement in bank.statements():
        assessment = all_met(bank)
        assessment.answers[statement.id] = StatementAnswer(choice="dont_know")
        [action] = plan_for(assessment, bank).actions
        titles.append(action.title)
    assert len(set(titles)) == len(titles)
    assert (
        "Find out where you stand: The partnership has a written assessment of the needs of the people in its cohort…"
        in (titles)
    )


def test_local_questions_below_target_get_the_principles_fallback_action():
    bank = load_bank(local_file=LOCAL_EXAMPLE)
    local = [s for _, s in bank.statements() if s.local]
    assessment = all_met(bank)
    for statement in local:
        assessment.answers[statement.id] = StatementAnswer(choice="0")
    plan = plan_for(assessment, bank)
    for statement in local:
        [action] = plan.for_gap(f"statement:{statement.id}")
        assert RULES.rule(action.rule_id).fallback
        assert action.sources


@settings(max_examples=40, deadline=None)
@given(
    choices=st.lists(
        st.sampled_from(["0", "1", "2", "3", "4", "dont_know", None]),
        min_size=len(BANK.statements()),
        max_size=len(BANK.statements()),
    ),
    partner_values=st.lists(
        st.sampled_from(["yes", "partly", "no", "dont_know", None]),
        min_size=len(BANK.partners.partners) * len(BANK.partners.indicators),
        max_size=len(BANK.partners.partners) * len(BANK.partners.indicators),
    ),
    targets=st.lists(st.integers(0, 4), min_size=6, max_size=6),
)
def test_no_gap_is_ever_left_without_an_action(choices, partner_values, targets):
    statements = [s.id for _, s in BANK.statements()]
    cells = [(p.id, i.id) for p in BANK.partners.partners for i in BANK.partners.indicators]
    partner_answers: dict[str, dict[str, str]] = {}
    for (pid, iid), value in zip(cells, partner_values, strict=True):
        if value:
            partner_answers.setdefault(pid, {})[iid] = value
    assessment = Assessment(
        area="Anyshire",
        year=2026,
        bank_version=BANK.version,
        answers={sid: StatementAnswer(choice=c) for sid, c in zip(statements, choices, strict=True) if c},
        partner_answers=partner_answers,
        targets=dict(enumerate(targets, start=1)),
    )
    plan = plan_for(assessment)
    for gap in plan.gaps:
        assert plan.for_gap(gap.key), gap.key
    assert len({a.id for a in plan.actions}) == len(plan.actions)


def test_every_rule_names_statements_that_are_in_the_bank():
    for rule in RULES.rules:
        for statement_id in rule.statements:
            assert BANK.has_statement(statement_id), f"{rule.id}: {statement_id}"


def test_every_rule_cites_a_seed_section_that_exists():
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    lines = {
        file: {" ".join(line.replace("’", "'").split()).casefold().rstrip(":") for line in text.splitlines()}
        for file in SEED_FILES
        for text in [(SEEDS / file).read_text(encoding="utf-8")]
    }
    for rule in RULES.rules:
        for source in rule.sources:
            section = " ".join(source.section.replace("’", "'").split()).casefold()
            assert section in lines[source.file], f"{rule.id}: {source.cite()}"


def test_every_figure_and_example_an_action_cites_has_a_source():
    plan = plan_for(Assessment(area="Blankshire", year=2026, bank_version=BANK.version))
    assert plan.actions
    for action in plan.actions:
        assert action.evidence, action.id
        assert action.sources, action.id
        for item in (*action.evidence, *action.examples, *action.factors):
            for source in getattr(item, "sources", None) or (item.source,):
                assert source.file in SEED_FILES
                assert len(source.section) >= 2


def test_the_rules_are_in_our_own_words_not_copied_from_the_briefing():
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    words = re.findall(r"[a-z0-9£%]+", " ".join((SEEDS / f).read_text(encoding="utf-8") for f in SEED_FILES).lower())
    runs = {tuple(words[i : i + 9]) for i in range(len(words) - 8)}
    for rule in RULES.rules:
        ours = re.findall(r"[a-z0-9£%]+", rule.what.lower())
        copied = [" ".join(ours[i : i + 9]) for i in range(len(ours) - 8) if tuple(ours[i : i + 9]) in runs]
        assert not copied, f"{rule.id} copies the sources: {copied[0]!r}"


def test_action_ids_are_stable_and_fit_the_store_for_every_gap():
    bank = load_bank(local_file=LOCAL_EXAMPLE)
    keys = [f"{kind}:{s.id}" for _, s in bank.statements() for kind in ("statement", "dont-know")]
    keys += [f"evidence:p{n}" for n in range(1, 7)]
    keys += [
        f"{kind}:{p.id}:{level}" for p in bank.partners.partners for level in LEVELS for kind in ("partner", "unknown")
    ]
    for rule in RULES.rules:
        for key in keys:
            assert len(action_id(rule.id, key)) <= 120
    assert action_id("p6-plan-the-exit", "statement:p6-exit-strategy") == "p6-plan-the-exit@statement:p6-exit-strategy"


def test_no_two_actions_in_the_example_plan_share_a_title():
    from assessment.services import example_assessment

    titles = [a.title for a in plan_for(example_assessment(BANK, year=2026)).actions]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


@pytest.mark.parametrize("partner_id", ["primary_care", "drug_treatment"])
def test_a_rule_that_answers_both_levels_names_the_level_in_its_title(partner_id):
    assessment = all_met()
    for level in LEVELS:
        with_partner(assessment, partner_id, level, "no")
    plan = plan_for(assessment)
    [board] = plan.for_gap(f"partner:{partner_id}:strategic")
    [daily] = plan.for_gap(f"partner:{partner_id}:operational")
    assert board.rule_id == daily.rule_id
    assert "at board level" in board.title and "in day-to-day work" in daily.title
    assert board.title.replace("at board level", "in day-to-day work") == daily.title


def test_no_two_actions_share_a_title_when_every_partner_is_missing_at_both_levels():
    assessment = all_met()
    for partner in BANK.partners.partners:
        for level in LEVELS:
            with_partner(assessment, partner.id, level, "no")
    plan = plan_for(assessment)
    titles = [a.title for a in plan.actions]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
    # The housing rules answer both the housing and the council gap: one action each, listing both gaps.
    [duty] = plan.for_gap("partner:local_authority:strategic")
    assert duty.gap_keys == ("partner:housing:strategic", "partner:local_authority:strategic")
    assert duty.partners[:2] == ("housing", "local_authority")


def test_overlapping_suggestions_become_one_action_that_answers_both_gaps():
    from assessment.services import example_assessment

    plan = plan_for(example_assessment(BANK, year=2026))
    rules = {a.rule_id for a in plan.actions}
    # The prison's day-to-day work and principle 6's 'through the gate' say the same: one action answers both.
    gate = plan.action("prison-work-through-the-gate@partner:prison:operational")
    assert gate.gap_keys == ("partner:prison:operational", "statement:p6-through-the-gate")
    assert "p6-work-through-the-gate" not in rules
    assert plan.for_gap("statement:p6-through-the-gate") == (gate,)
    assert gate.principle == 6 and gate.partners[0] == "prison"
    assert "HMP Lewes" in {e.area for e in gate.examples}, "the examples of the suggestion it took in are kept"
    assert gate in plan.select(principle=6) and gate in plan.select(gap_key="statement:p6-through-the-gate")
    # Likewise the mental health staff in the team, and the two alcohol suggestions.
    assert not rules & {
        "p6-mental-health-in-the-team",
        "p6-commission-alcohol-help",
        "p6-alcohol-treatment-to-the-cohort",
    }
    assert {a.rule_id for a in plan.for_gap("statement:p6-alcohol-treatment-access")} == {
        "alcohol-commissioners-at-the-table",
        "alcohol-treatment-in-day-to-day-work",
    }
    # Every gap still has an action, and every action id is still the one its own rule and gap give.
    for gap in plan.gaps:
        assert plan.for_gap(gap.key), gap.key
    assert all(a.id == action_id(a.rule_id, a.gap.key) for a in plan.actions)


def test_a_suggestion_shown_on_its_own_when_only_its_gap_is_open():
    assessment = all_met()
    assessment.answers["p6-through-the-gate"] = StatementAnswer(choice="1")
    [action] = plan_for(assessment).actions
    assert action.rule_id == "p6-work-through-the-gate" and action.also == ()


def test_a_suggestion_the_board_has_recorded_work_against_is_not_folded_into_another():
    assessment = with_partner(all_met(), "prison", "operational", "no")
    assessment.answers["p6-through-the-gate"] = StatementAnswer(choice="1")
    recorded = "p6-work-through-the-gate@statement:p6-through-the-gate"
    assessment.plan[recorded] = ActionEdit(action_id=recorded, owner="Head of resettlement")
    plan = plan_for(assessment)
    assert plan.action(recorded).edit.owner == "Head of resettlement"
    assert plan.action("prison-work-through-the-gate@partner:prison:operational").also == ()


def test_folding_is_deterministic_and_takes_the_points_of_the_bigger_gap():
    assessment = with_partner(all_met(), "prison", "operational", "partly")  # 50%: involved
    assessment.partner_answers["prison"]["operational-meetings"] = "no"  # 37.5%: 22.5 points, doubled to 45
    assessment.answers["p6-through-the-gate"] = StatementAnswer(choice="0")  # 30 points
    [action] = plan_for(assessment).actions
    assert action.priority == max(g.points for g in action.gaps) == 45
    assert action.rank_reason.startswith("Ranked 1 of 1: this partner is only partly involved in day-to-day work")
    assert action.rank_reason.endswith("This action answers 2 gaps, listed above.")


# ---- priority ------------------------------------------------------------------------------------------------


def test_priority_grows_with_the_size_of_the_gap_and_the_statement_weight():
    bank = make_bank(weights={"s1-1": 2})
    assessment = make_assessment({"s1-1": "1", "s1-2": "1", "s1-3": "0", "s1-4": "2"})
    plan = build_plan(bank, LIBRARY, assessment, score(bank, assessment), rules=RULES)
    points = {g.statement_id: g.points for g in plan.gaps if g.kind == "statement"}
    assert points == {"s1-1": 40, "s1-2": 20, "s1-3": 30, "s1-4": 10}
    order = [a.gap.statement_id for a in plan.actions if a.gap.kind == "statement"]
    assert order == ["s1-1", "s1-3", "s1-2", "s1-4"]


def test_a_priority_partner_outranks_another_partner_with_the_same_coverage():
    assessment = with_partner(with_partner(all_met(), "police", "strategic", "no"), "housing", "strategic", "no")
    gaps = {g.partner_id: g.points for g in plan_for(assessment).gaps}
    assert gaps == {"housing": 60, "police": 30}
    housing, police = plan_for(assessment).actions
    assert housing.rank_reason == (
        "Ranked 1 of 2: this partner is not involved at board level at all, and the Revolving Doors briefing names "
        "it as a partner that many IOM areas could involve much more."
    )
    assert housing.rank_working == (
        "Points: 10 + 20 × 1.00 (the share of the signs still missing) = 30 points, doubled to 60 for a partner the "
        "briefing names as under-developed in many areas."
    )
    assert police.rank_reason == "Ranked 2 of 2: this partner is not involved at board level at all."


def test_every_action_explains_its_rank_with_its_points():
    assessment = all_met()
    assessment.answers["p1-information-sharing"] = StatementAnswer(choice="1")
    [action] = plan_for(assessment).actions
    assert action.rank == 1
    # A plain sentence first, then the arithmetic.
    assert action.rank_reason == (
        "Ranked 1 of 1: this statement is rated Emerging, 2 levels below your target of Established, and it counts "
        "double in the score."
    )
    assert action.rank_working == "Points: (target 3 − level 1) × weight 2 × 10 = 2 × 2 × 10 = 40 points."
    assert action.gap.description == (
        "Principle 1: “Partners have an agreed means to share information and intelligence about the people in the "
        "IOM cohort.” Rated Emerging (level 1); the target is Established (level 3)."
    )


def test_gaps_are_described_in_plain_words():
    assessment = with_partner(all_met(), "alcohol_treatment", "strategic", "no")
    with_partner(assessment, "police", "operational", "dont_know")
    assessment.partner_answers["housing"]["strategic-board"] = "no"
    assessment.partner_answers["housing"]["shared-vision"] = "no"
    descriptions = {g.key: g.description for g in plan_for(assessment).gaps}
    assert descriptions == {
        "partner:alcohol_treatment:strategic": (
            "Alcohol treatment services: none of the signs of strategic involvement are in place (0%). "
            "A partner counts as involved from 50%."
        ),
        "partner:housing:strategic": (
            "Housing: only some of the signs of strategic involvement are in place (33%). "
            "A partner counts as involved from 50%."
        ),
        "unknown:police:operational": (
            "Police: nobody who answered knows whether the signs of operational involvement are in place. "
            "Every answer about them is 'Don't know' or blank."
        ),
    }
    texts = " ".join(descriptions.values())
    assert "Coverage there is" not in texts and "involved means" not in texts


def test_ties_are_explained_in_the_working_not_the_sentence():
    assessment = with_partner(with_partner(all_met(), "police", "strategic", "no"), "probation", "strategic", "no")
    first, second = plan_for(assessment).actions
    assert first.rank_reason == "Ranked 1 of 2: this partner is not involved at board level at all."
    assert second.rank_working.endswith(
        "Actions 1 to 2 all have 30 points; actions with equal points are always listed in the same order."
    )


def test_actions_with_equal_points_are_listed_by_action_id_between_those_above_and_below():
    assessment = all_met()
    assessment.answers["p1-information-sharing"] = StatementAnswer(choice="1")  # weight 2: 2 × 2 × 10 = 40 points
    for partner_id in ("probation", "police", "local_authority"):  # not involved at board level: 30 points each
        with_partner(assessment, partner_id, "strategic", "no")
    assessment.answers["p6-exit-strategy"] = StatementAnswer(choice="2")  # 1 × 1 × 10 = 10 points
    plan = plan_for(assessment)
    assert [(a.rank, a.priority) for a in plan.actions] == [(1, 40), (2, 30), (3, 30), (4, 30), (5, 10)]
    tied = plan.actions[1:4]
    assert [a.id for a in tied] == sorted(a.id for a in tied)
    assert {a.partner_id for a in tied} == {"probation", "police", "local_authority"}
    for action in tied:
        assert action.rank_working.startswith("Points: 10 + 20 × 1.00 (the share of the signs still missing) = 30")
        assert action.rank_working.endswith(
            "Actions 2 to 4 all have 30 points; actions with equal points are always listed in the same order."
        )
    assert plan.actions[0].rank_working == "Points: (target 3 − level 1) × weight 2 × 10 = 2 × 2 × 10 = 40 points."
    assert "equal points" not in plan.actions[4].rank_working
    assert plan.actions[4].rank_reason == (
        "Ranked 5 of 5: this statement is rated Developing, 1 level below your target of Established."
    )
    assert plan.for_gap("statement:no-such-statement") == ()
    # The gaps are listed the same way: most points first, ties by their key.
    assert [(g.points, g.key) for g in plan.gaps] == sorted(
        ((g.points, g.key) for g in plan.gaps), key=lambda p: (-p[0], p[1])
    )


def test_the_priority_method_names_the_bank_s_priority_partners():
    text = " ".join(priority_method(BANK))
    assert (
        "Mental health services, Alcohol treatment services, Housing, Prison service and Employment and skills" in text
    )
    assert len(priority_method(BANK)) == len(PRIORITY_METHOD)


def test_the_plan_is_deterministic_whatever_the_order_answers_arrive_in():
    from assessment.services import example_assessment

    example = example_assessment(BANK, year=2026)
    shuffled = example.model_copy(deep=True)
    items = list(shuffled.answers.items())
    random.Random(7).shuffle(items)
    shuffled.answers = dict(items)
    first, second = plan_for(example), plan_for(shuffled)
    assert [(a.id, a.rank, a.priority) for a in first.actions] == [(a.id, a.rank, a.priority) for a in second.actions]
    assert [a.id for a in plan_for(example).actions] == [a.id for a in first.actions]


# ---- hand-checked plans for two contrasting areas ------------------------------------------------------------


def test_an_area_weak_on_partners_is_told_to_bring_in_alcohol_and_mental_health_first():
    area = all_met()
    for statement in (s for _, s in BANK.statements()):
        area.answers[statement.id] = StatementAnswer(choice="3")
    for partner_id in ("mental_health", "alcohol_treatment", "youth_offending"):
        for level in LEVELS:
            with_partner(area, partner_id, level, "no")
    for level in LEVELS:
        with_partner(area, "prison", level, "dont_know")
    with_partner(area, "housing", "strategic", "partly")  # 50%: involved, so no gap

    plan = plan_for(area)
    assert [(a.rank, a.id, a.priority) for a in plan.actions] == [
        (1, "alcohol-commissioners-at-the-table@partner:alcohol_treatment:strategic", 60),
        (2, "alcohol-treatment-in-day-to-day-work@partner:alcohol_treatment:operational", 60),
        (3, "mental-health-in-day-to-day-work@partner:mental_health:operational", 60),
        (4, "mental-health-on-the-board@partner:mental_health:strategic", 60),
        (5, "find-out-partner-involvement@unknown:prison:operational", 30),
        (6, "find-out-partner-involvement@unknown:prison:strategic", 30),
        (7, "partner-in-day-to-day-work@partner:youth_offending:operational", 30),
        (8, "partner-on-the-board@partner:youth_offending:strategic", 30),
    ]
    board = plan.action("mental-health-on-the-board@partner:mental_health:strategic")
    assert [e.area for e in board.examples] == ["Cambridge and Peterborough"]
    assert board.cost == "not stated" and not board.quick_win  # no source states what it cost
    assert board.national is not None and board.national.percent is None
    youth = plan.action("partner-on-the-board@partner:youth_offending:strategic")
    assert youth.title == "Bring a senior lead from Youth offending service onto the IOM board"
    assert youth.national.percent == 77
    assert plan.action("find-out-partner-involvement@unknown:prison:strategic").title == (
        "Find out how involved Prison service is at board level"
    )
    assert plan.action("find-out-partner-involvement@unknown:prison:operational").title == (
        "Find out how involved Prison service is in day-to-day work"
    )


def test_an_area_weak_on_principles_three_and_six_is_told_to_work_through_the_gate_and_open_up_services():
    area = all_met()
    for principle in BANK.principles:
        for statement in principle.statements:
            level = {3: "1", 6: "0"}.get(principle.number, "3")
            area.answers[statement.id] = StatementAnswer(choice=level)  # type: ignore[arg-type]
    area.answers["p3-no-gaps"] = StatementAnswer(choice="2")
    area.answers["p6-exit-strategy"] = StatementAnswer(choice="2")

    plan = plan_for(area)
    ranked = [(a.rank, a.rule_id, a.priority) for a in plan.actions]
    assert ranked == [
        (1, "p6-alcohol-treatment-to-the-cohort", 30),
        (2, "p6-build-motivation", 30),
        (3, "p6-commission-alcohol-help", 30),
        (4, "p6-employment-and-training-routes", 30),
        (5, "p6-housing-on-release", 30),
        (6, "p6-mental-health-clinic-in-probation", 30),
        (7, "p6-mental-health-in-the-team", 30),
        (8, "p6-treat-cohort-as-vulnerable", 30),
        (9, "p6-work-through-the-gate", 30),
        (10, "p3-consider-short-sentence-cohort", 20),
        (11, "p3-open-referrals", 20),
        (12, "p3-step-up-after-release", 20),
        (13, "p3-write-down-the-criteria", 20),
        (14, "p5-commission-an-evaluation", 20),
        (15, "p3-check-nobody-is-missed", 10),
        (16, "p6-plan-the-exit", 10),
    ]
    # No source states the cost of any example these actions draw on, so none is a quick win.
    assert plan.select(quick_wins=True) == []
    gate = plan.action("p6-work-through-the-gate@statement:p6-through-the-gate")
    assert {e.area for e in gate.examples} == {"Bristol", "West Yorkshire", "St Giles Trust", "HMP Lewes"}
    assert "over a 40% reduction" in [f.figure for f in gate.evidence]
    # Raising principle 3's target to 4 makes its gaps bigger and moves them up.
    area.targets = {3: 4}
    assert plan_for(area).actions[0].rule_id == "p3-consider-short-sentence-cohort"


# ---- the board's records -------------------------------------------------------------------------------------


def test_the_board_s_record_is_merged_into_its_action():
    assessment = all_met()
    assessment.answers["p6-exit-strategy"] = StatementAnswer(choice="1")
    aid = "p6-plan-the-exit@statement:p6-exit-strategy"
    assessment.plan[aid] = ActionEdit(action_id=aid, owner="IOM manager", due=date(2026, 9, 30), status="in_progress")
    [action] = plan_for(assessment).actions
    assert (action.edit.owner, action.status, action.state) == ("IOM manager", "in_progress", "open")


def test_an_action_whose_gap_has_closed_is_kept_when_the_board_has_recorded_work_on_it():
    assessment = all_met()
    aid = "p6-plan-the-exit@statement:p6-exit-strategy"
    assessment.plan[aid] = ActionEdit(action_id=aid, owner="IOM manager", status="done")
    assessment.plan["gone-rule@statement:no-such"] = ActionEdit(action_id="gone-rule@statement:no-such", notes="Kept")
    plan = plan_for(assessment)
    assert plan.actions == ()
    closed = {a.id: a for a in plan.closed}
    assert closed[aid].state == "closed"
    assert closed[aid].title == "Agree an exit strategy for people leaving the cohort"
    assert closed[aid].principle == 6
    assert closed[aid].gap.description.startswith("This gap is now closed")
    assert closed["gone-rule@statement:no-such"].what == "Kept"


def test_a_find_out_action_whose_answer_is_now_known_is_kept_as_closed():
    assessment = all_met()
    aid = "find-out-statement@dont-know:p3-evaluation"
    assessment.plan[aid] = ActionEdit(action_id=aid, owner="IOM manager", status="done")
    [closed] = plan_for(assessment).closed
    assert (closed.state, closed.principle, closed.gap.kind) == ("closed", 3, "statement_unknown")
    assert closed.title == (
        "Find out where you stand: The partnership has had its IOM work evaluated against a comparison group of "
        "similar people not managed…"
    )


def test_the_board_s_own_actions_are_listed_with_their_principle_and_partner():
    assessment = all_met()
    own = ActionEdit(
        action_id="own-abc",
        own=True,
        what="Agree a shared referral form",
        lead="Council",
        principle=3,
        partner_id="housing",
    )
    assessment.plan[own.action_id] = own
    plan = plan_for(assessment)
    [action] = plan.own
    assert (action.title, action.principle, action.partners, action.rank) == (
        "Agree a shared referral form",
        3,
        ("housing",),
        None,
    )
    assert plan.select(principle=3) == [action]
    assert plan.select(partner_id="housing") == [action]
    assert plan.select(lead="Council") == [action]


def test_filters_combine():
    from assessment.services import example_assessment

    plan = plan_for(example_assessment(BANK, year=2026))
    housing = plan.select(partner_id="housing")
    assert housing and all("housing" in a.partners for a in housing)
    assert plan.select(partner_id="housing", quick_wins=True) == []  # no source states a cost
    assert all(a.principle == 6 for a in plan.select(principle=6))


def test_next_year_carries_only_the_unfinished_actions():
    previous = all_met()
    previous.plan = {
        f"rule@{status}": ActionEdit(action_id=f"rule@{status}", status=status, owner="Board")
        for status in ("not_started", "in_progress", "done", "dropped")
    }
    assert sorted(carry_forward(previous)) == ["rule@in_progress", "rule@not_started"]


def test_an_action_is_a_quick_win_only_when_a_source_states_the_cost_of_every_example_it_cites():
    islington, brighton = (
        LIBRARY.example("islington-iapt-in-probation"),
        LIBRARY.example("brighton-hostels-alcohol-nurse"),
    )
    stated = islington.model_copy(update={"cost": "neutral"})  # as if a source stated it
    low = brighton.model_copy(update={"cost": "low"})
    assert action_cost((stated,)) == "neutral"
    assert action_cost((stated, low)) == "low"
    assert action_cost((stated, brighton)) == "not stated"
    assert action_cost(()) == "not stated"
    assert action_cost((islington,)) == "not stated"  # the briefing never says which examples are cost-neutral


# ---- the data files are checked on load ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'examples = ["islington-iapt-in-probation"]\nfactors = ["co-location"]',
            'examples = ["nowhere"]\nfactors = ["co-location"]',
            "'nowhere' is not in the library",
        ),
        ('statements = ["p6-exit-strategy"]', "statements = []", "must list its statements"),
        ('id = "p6-plan-the-exit"', 'id = "p6-build-motivation"', "used more than once"),
        ('timescale = "3 months"', 'timescale = "soon"', "timescale"),
        ('absorbs = ["p6-housing-on-release"]', 'absorbs = ["no-such-rule"]', "'no-such-rule', which is not a rule"),
        (
            'absorbs = ["p6-housing-on-release"]',
            'absorbs = ["housing-duty-for-the-cohort"]',
            "which absorbs others itself",
        ),
    ],
)
def test_a_broken_rules_file_raises_library_error_naming_the_file(tmp_path, old, new, message):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "action_rules.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LibraryError) as raised:
        load_action_rules(tmp_path / "data")
    assert "action_rules.toml" in str(raised.value)
    assert message in str(raised.value)


def test_the_plan_module_never_imports_streamlit():
    tree = ast.parse((REPO / "assessment" / "plan.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(name.startswith("streamlit") for name in imported)


def test_an_action_drawing_on_an_example_a_source_states_is_cost_neutral_is_a_quick_win():
    from benchmarks.models import PracticeLibrary

    stated = [
        e.model_copy(update={"cost": "neutral"}) if e.id == "durham-housing-solutions-officer" else e
        for e in LIBRARY.examples
    ]
    library = PracticeLibrary(
        survey=LIBRARY.survey,
        national_figures=LIBRARY.national_figures,
        examples=tuple(stated),
        enabling_factors=LIBRARY.enabling_factors,
        evidence=LIBRARY.evidence,
    )
    assessment = all_met()
    with_partner(assessment, "housing", "operational", "no")
    plan = build_plan(BANK, library, assessment, score(BANK, assessment), rules=RULES)
    quick = plan.select(quick_wins=True)
    # The housing officer rule cites Durham and Cleveland: Cleveland's cost is not stated, so it is no quick win.
    assert quick == []
    only_durham = [
        e.model_copy(update={"cost": "low"}) if e.id == "cleveland-supported-accommodation" else e for e in stated
    ]
    library = PracticeLibrary(
        survey=LIBRARY.survey,
        national_figures=LIBRARY.national_figures,
        examples=tuple(only_durham),
        enabling_factors=LIBRARY.enabling_factors,
        evidence=LIBRARY.evidence,
    )
    plan = build_plan(BANK, library, assessment, score(BANK, assessment), rules=RULES)
    [quick] = [a for a in plan.select(quick_wins=True) if a.rule_id == "housing-officer-in-the-team"]
    assert quick.cost == "low" and quick.quick_win
