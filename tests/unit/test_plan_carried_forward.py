"""An action the board recorded work against stays in the plan when its gap no longer shows. Its gap is "closed"
only once this year's answers have answered the statement or partner again; until then it is "not yet
re-assessed" and still open. Each test starts from answers with no gap at all and carries one action in."""

from __future__ import annotations

import pytest

from assessment.model import ActionEdit, Assessment, StatementAnswer
from assessment.plan import (
    AWAITING_GAP,
    CLOSED_GAP,
    Gap,
    action_cost,
    build_plan,
    find_gaps,
    priority_method,
    rules_for,
)
from assessment.scoring import score
from benchmarks.loader import get_action_rules, get_library
from questions.loader import get_bank
from questions.models import QuestionBank

BANK = get_bank()
LIBRARY = get_library()
RULES = get_action_rules()
STRATEGIC = [i.id for i in BANK.partners.indicators if i.level == "strategic"]
OPERATIONAL = [i.id for i in BANK.partners.indicators if i.level == "operational"]
EXIT = "p6-exit-strategy"  # a statement of principle 6
NO_LONGER_APPLIES = "An earlier suggested action that no longer applies"


def no_gaps() -> Assessment:
    """Every statement at level 4 and every partner a Yes to every question: the plan suggests nothing."""
    return Assessment(
        area="Testshire",
        year=2027,
        bank_version=BANK.version,
        answers={s.id: StatementAnswer(choice="4") for _, s in BANK.statements()},
        partner_answers={p.id: dict.fromkeys(STRATEGIC + OPERATIONAL, "yes") for p in BANK.partners.partners},
    )


def rule_id_for(gap_key: str, last_year: Assessment) -> str:
    """The first rule that answered this gap in last year's answers (the answers show the gap)."""
    [gap] = [g for g in find_gaps(BANK, score(BANK, last_year)) if g.key == gap_key]
    return rules_for(RULES, gap)[0].id


def statement_gap_last_year() -> str:
    last_year = no_gaps()
    last_year.answers[EXIT] = StatementAnswer(choice="1")
    return f"{rule_id_for(f'statement:{EXIT}', last_year)}@statement:{EXIT}"


def housing_strategic_gap_last_year() -> str:
    last_year = no_gaps()
    last_year.partner_answers["housing"].update(dict.fromkeys(STRATEGIC, "no"))
    return f"{rule_id_for('partner:housing:strategic', last_year)}@partner:housing:strategic"


def carried(this_year: Assessment, action_id: str, **fields) -> ActionEdit:
    edit = ActionEdit(action_id=action_id, owner="Head of IOM", status="in_progress", **fields)
    this_year.plan[action_id] = edit
    return edit


def plan_of(assessment: Assessment):
    return build_plan(BANK, LIBRARY, assessment, score(BANK, assessment), rules=RULES)


def test_a_carried_statement_action_nobody_has_answered_this_year_is_not_yet_re_assessed():
    aid = statement_gap_last_year()
    this_year = no_gaps()
    del this_year.answers[EXIT]
    edit = carried(this_year, aid)
    plan = plan_of(this_year)
    assert (plan.actions, plan.closed) == ((), ())
    [action] = plan.awaiting
    assert (action.id, action.state, action.edit, action.rank, action.priority) == (aid, "awaiting", edit, None, 0)
    assert action.gap == Gap(f"statement:{EXIT}", "statement", AWAITING_GAP, 0, "", principle=6, statement_id=EXIT)
    assert action.rule_id == aid.split("@")[0]
    assert action.rank_reason.startswith("Not ranked: not yet re-assessed. Answer this year's question")
    assert plan.all() == (action,)


def test_a_carried_statement_action_answered_at_its_target_this_year_is_closed():
    aid = statement_gap_last_year()
    this_year = no_gaps()
    edit = carried(this_year, aid)
    plan = plan_of(this_year)
    assert (plan.actions, plan.awaiting) == ((), ())
    [action] = plan.closed
    assert (action.id, action.state, action.edit, action.rank, action.priority) == (aid, "closed", edit, None, 0)
    assert action.gap == Gap(f"statement:{EXIT}", "statement", CLOSED_GAP, 0, "", principle=6, statement_id=EXIT)
    assert action.principle == 6
    assert action.rank_reason == "Not ranked: the gap it answered is now closed, but the board's record of it is kept."


@pytest.mark.parametrize(
    ("choice", "na_reason", "state"),
    [
        ("3", "", "closed"),
        ("not_applicable", "We have no prison in the area", "closed"),
        ("not_applicable", "", "awaiting"),  # 'Not applicable' counts only with its reason
        ("not_applicable", " \n\t ", "awaiting"),  # and a reason of blank space is no reason
        ("dont_know", "", "awaiting"),  # 'Don't know' does not say whether the gap is still there
        ("1", "", "open"),  # answered again below target: the gap shows again and is ranked
    ],
)
def test_this_year_s_answer_to_the_statement_decides_whether_its_carried_action_is_closed(choice, na_reason, state):
    aid = statement_gap_last_year()
    this_year = no_gaps()
    this_year.answers[EXIT] = StatementAnswer(choice=choice, na_reason=na_reason)
    carried(this_year, aid)
    plan = plan_of(this_year)
    assert plan.action(aid).state == state
    assert [a.id for a in plan.all()].count(aid) == 1


@pytest.mark.parametrize(("choice", "state"), [("3", "closed"), (None, "awaiting")])
def test_a_carried_find_out_action_closes_once_the_statement_has_a_level(choice, state):
    last_year = no_gaps()
    last_year.answers[EXIT] = StatementAnswer(choice="dont_know")
    aid = f"{rule_id_for(f'dont-know:{EXIT}', last_year)}@dont-know:{EXIT}"
    this_year = no_gaps()
    this_year.answers[EXIT] = StatementAnswer(choice=choice)
    carried(this_year, aid)
    action = plan_of(this_year).action(aid)
    description = CLOSED_GAP if state == "closed" else AWAITING_GAP
    assert action.state == state
    assert action.gap == Gap(
        f"dont-know:{EXIT}", "statement_unknown", description, 0, "", principle=6, statement_id=EXIT
    )


@pytest.mark.parametrize(
    ("strategic", "operational", "state"),
    [
        ({}, dict.fromkeys(OPERATIONAL, "yes"), "awaiting"),  # only the other level was answered
        (dict.fromkeys(STRATEGIC, "dont_know"), {}, "awaiting"),
        ({STRATEGIC[0]: "yes"}, {}, "closed"),  # one question of the level answered is enough, and it is involved
        (dict.fromkeys(STRATEGIC, "yes"), {}, "closed"),
        (dict.fromkeys(STRATEGIC, "no"), {}, "open"),  # answered again, still not involved: ranked again
    ],
)
def test_a_carried_partner_action_closes_only_once_a_question_of_its_level_has_a_yes_partly_or_no(
    strategic, operational, state
):
    aid = housing_strategic_gap_last_year()
    this_year = no_gaps()
    this_year.partner_answers["housing"] = {**strategic, **operational}
    carried(this_year, aid)
    action = plan_of(this_year).action(aid)
    assert action.state == state
    assert action.partners[0] == "housing"
    if state != "open":
        description = CLOSED_GAP if state == "closed" else AWAITING_GAP
        gap = Gap("partner:housing:strategic", "partner", description, 0, "", partner_id="housing", level="strategic")
        assert action.gap == gap


def test_a_carried_action_for_a_partner_nobody_knew_about_closes_once_that_level_is_answered():
    last_year = no_gaps()
    last_year.partner_answers["police"].update(dict.fromkeys(OPERATIONAL, "dont_know"))
    aid = f"{rule_id_for('unknown:police:operational', last_year)}@unknown:police:operational"
    this_year = no_gaps()
    carried(this_year, aid)
    [action] = plan_of(this_year).closed
    assert action.id == aid
    assert action.gap == Gap(
        "unknown:police:operational", "partner_unknown", CLOSED_GAP, 0, "", partner_id="police", level="operational"
    )


def test_a_carried_action_to_gather_a_principle_s_evidence_is_closed_once_the_principle_has_a_score():
    last_year = no_gaps()
    for _, statement in BANK.statements():
        if BANK.principle_of(statement.id).number == 3:
            del last_year.answers[statement.id]
    aid = f"{rule_id_for('evidence:p3', last_year)}@evidence:p3"
    this_year = no_gaps()
    carried(this_year, aid)
    plan = plan_of(this_year)
    assert plan.awaiting == ()
    [action] = plan.closed
    assert action.gap == Gap("evidence:p3", "evidence", CLOSED_GAP, 0, "", principle=3)
    assert action.principle == 3


@pytest.mark.parametrize(
    "gap_key",
    [
        "statement:no-such-statement",
        "dont-know:no-such-statement",
        "evidence:p",
        "evidence:px",
        "evidence:3",
        "partner:no-such-partner:strategic",
        "unknown:no-such-partner:operational",
        "no-such-kind:p6-exit-strategy",
    ],
)
def test_a_record_whose_gap_the_question_bank_no_longer_has_is_kept_as_an_action_that_no_longer_applies(gap_key):
    rule_id = statement_gap_last_year().split("@")[0]
    this_year = no_gaps()
    edit = carried(this_year, f"{rule_id}@{gap_key}", notes="Met the housing lead in May")
    plan = plan_of(this_year)
    assert plan.awaiting == ()
    [action] = plan.closed
    assert (action.title, action.what, action.state, action.edit) == (
        NO_LONGER_APPLIES,
        "Met the housing lead in May",
        "closed",
        edit,
    )
    assert (action.gap, action.principle, action.partners, action.rule_id) == (None, None, (), None)


def test_a_record_of_a_rule_the_plan_no_longer_has_keeps_the_principle_or_partner_of_its_gap():
    this_year = no_gaps()
    del this_year.answers[EXIT]  # not yet re-assessed, but there is no rule left to suggest it again
    carried(this_year, f"retired-rule@statement:{EXIT}")
    carried(this_year, "retired-rule@partner:housing:strategic", notes="Asked housing to join the board")
    plan = plan_of(this_year)
    assert plan.awaiting == ()
    by_id = {a.id: a for a in plan.closed}
    statement = by_id[f"retired-rule@statement:{EXIT}"]
    assert (statement.title, statement.principle, statement.partners) == (NO_LONGER_APPLIES, 6, ())
    assert statement.what == "The plan no longer suggests this action; the board's record of it is kept."
    assert statement.gap == Gap(f"statement:{EXIT}", "statement", CLOSED_GAP, 0, "", principle=6, statement_id=EXIT)
    partner = by_id["retired-rule@partner:housing:strategic"]
    assert (partner.title, partner.principle, partner.partners) == (NO_LONGER_APPLIES, None, ("housing",))
    assert partner.what == "Asked housing to join the board"


def test_carried_actions_are_listed_in_order_of_their_ids_whatever_order_they_were_recorded_in():
    statement_aid, partner_aid = statement_gap_last_year(), housing_strategic_gap_last_year()
    this_year = no_gaps()
    del this_year.answers[EXIT]
    this_year.partner_answers["housing"] = {}
    for aid in sorted([statement_aid, partner_aid], reverse=True):
        carried(this_year, aid)
    assert [a.id for a in plan_of(this_year).awaiting] == sorted([statement_aid, partner_aid])


# ---- the board's own actions --------------------------------------------------------------------------------------
def test_the_board_s_own_action_keeps_its_record_and_takes_its_title_from_the_first_line_of_what_it_says():
    this_year = no_gaps()
    long_line = "Agree a shared referral form with every housing provider in the area " * 3
    first = ActionEdit(action_id="own-1", own=True, what=f"{long_line}\nThen review it in March", partner_id="housing")
    second = ActionEdit(action_id="own-2", own=True, what="", partner_id="no-such-partner")
    this_year.plan |= {"own-1": first, "own-2": second}
    one, two = plan_of(this_year).own
    assert (one.id, one.state, one.edit, one.rank) == ("own-1", "own", first, None)
    assert one.what == f"{long_line}\nThen review it in March"
    assert one.title == long_line[:120] and len(long_line) > 120
    assert one.partners == ("housing",)
    assert one.rank_reason == "Added by the board, so not ranked."
    assert (two.title, two.partners, two.edit) == ("The board's own action", (), second)


@pytest.mark.parametrize(
    ("priority", "named"),
    [((), "no partner"), (("housing",), "Housing"), (("police", "housing"), "Police and Housing")],
)
def test_the_priority_method_names_the_priority_partners_in_a_plain_list(priority, named):
    data = BANK.model_dump()
    for partner in data["partners"]["partners"]:
        partner["priority"] = partner["id"] in priority
    text = " ".join(priority_method(QuestionBank.model_validate(data)))
    assert f"Partner points are doubled for {named}: the partners the Revolving Doors briefing names" in text
    assert (
        "many IOM areas (Revolving Doors Agency, IOM: Effective Alternatives to Short Sentences (2012), "
        "‘Bringing the right partners to the table’)" in text
    )


# ---- one action for two gaps, and the board's records in among them -------------------------------------------------
def test_an_action_that_takes_in_a_bigger_gap_takes_its_points_sources_and_examples():
    # The prison rule takes in the 'through the gate' statement's rule. With the statement weighted 3, its gap
    # (3 − 0) × 3 × 10 = 90 is bigger than the prison's 45 (37.5% of the signs: (10 + 20 × 0.625) × 2).
    data = BANK.model_dump()
    for principle in data["principles"]:
        for statement in principle["statements"]:
            if statement["id"] == "p6-through-the-gate":
                statement["weight"] = 3.0
    bank = QuestionBank.model_validate(data)
    assessment = no_gaps()
    assessment.partner_answers["prison"].update(dict.fromkeys(OPERATIONAL, "no"))
    assessment.partner_answers["prison"].update({OPERATIONAL[0]: "yes", OPERATIONAL[1]: "partly"})
    assessment.answers["p6-through-the-gate"] = StatementAnswer(choice="0")
    [action] = build_plan(bank, LIBRARY, assessment, score(bank, assessment), rules=RULES).actions
    host, other = RULES.rule("prison-work-through-the-gate"), RULES.rule("p6-work-through-the-gate")
    assert action.id == "prison-work-through-the-gate@partner:prison:operational"
    assert action.absorbed == ("p6-work-through-the-gate@statement:p6-through-the-gate",)
    assert [g.points for g in action.gaps] == [45, 90]
    assert action.priority == 90
    assert action.rank_reason == (
        "Ranked 1 of 1: this statement is rated Not in place, 3 levels below your target of Established, and it "
        "counts 3 times in the score. This action answers 2 gaps, listed above."
    )
    assert action.rank_working == (
        "Points: (target 3 − level 0) × weight 3 × 10 = 3 × 3 × 10 = 90 points. An action that answers several gaps "
        "takes the points of the biggest."
    )
    assert (action.title, action.lead, action.timescale) == (host.title, host.lead, host.timescale)
    # The prison first, as the action is about it; then the partners of the statement's action, in the bank's order.
    rest = action.partners[1:]
    assert (action.partners[0], action.principle) == ("prison", 6)
    assert rest and rest == tuple(p.id for p in BANK.partners.partners if p.id in set(rest) - {"prison"})
    assert [e.id for e in action.examples] == list(dict.fromkeys([*host.examples, *other.examples]))
    assert [f.id for f in action.factors] == list(dict.fromkeys([*host.factors, *other.factors]))
    assert [e.id for e in action.evidence] == list(dict.fromkeys([*host.evidence, *other.evidence]))
    assert action.sources == tuple(dict.fromkeys([*host.sources, *other.sources]))
    assert action.cost == action_cost(action.examples)


def test_a_statement_action_involves_the_partners_its_rule_names_or_else_those_of_its_examples():
    for statement_id in ("p6-exit-strategy", "p6-through-the-gate", "p1-information-sharing", "p3-evaluation"):
        assessment = no_gaps()
        assessment.answers[statement_id] = StatementAnswer(choice="0")
        for action in plan_of(assessment).actions:
            rule = RULES.rule(action.rule_id)
            cited = {p for i in rule.examples for p in LIBRARY.example(i).partners}
            cited |= {p for i in rule.factors for p in LIBRARY.enabling_factor(i).partners}
            wanted = set(rule.concerns) or cited
            assert action.partners == tuple(p.id for p in BANK.partners.partners if p.id in wanted), action.id


def test_the_board_s_own_open_and_closed_records_are_all_kept_whatever_their_order():
    this_year = no_gaps()
    this_year.answers[EXIT] = StatementAnswer(choice="1")  # the exit-strategy gap is open this year
    open_id = statement_gap_last_year()
    carried(this_year, open_id)
    this_year.plan["own-1"] = ActionEdit(action_id="own-1", own=True, what="Meet the housing lead")
    carried(this_year, "retired-rule@statement:p1-information-sharing")
    plan = plan_of(this_year)
    assert [a.id for a in plan.actions] == [open_id]
    assert [a.id for a in plan.own] == ["own-1"]
    assert [a.id for a in plan.closed] == ["retired-rule@statement:p1-information-sharing"]
