"""The Action plan page, run in Streamlit's AppTest against a real store."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from assessment.plan import build_plan
from assessment.scoring import score
from assessment.services import create_example, save_action, start_assessment
from assessment.wording import NO_QUICK_WINS_TEXT
from benchmarks.loader import get_library
from questions.loader import get_bank
from tests.app.conftest import ROOT, texts

BANK = get_bank()
TOP = "alcohol-commissioners-at-the-table@partner:alcohol_treatment:strategic"


def open_plan(assessment_id: str, **params: str) -> AppTest:
    """The app on the Action plan page. The first run registers the pages, whose url_path differs from the file."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["a"] = assessment_id
    at.query_params.update(params)
    at.run()
    at.switch_page("app_pages/action_plan.py")
    return at.run()


def open_action(at: AppTest, assessment_id: str, action_id: str) -> AppTest:
    at.session_state[f"{assessment_id}.{action_id}.open"] = True
    return at.run()


def labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if "·" in e.label]


def titles(at: AppTest) -> list[str]:
    """The action titles shown, without their rank and the details after them."""
    return [re.sub(r"^\d+\. ", "", label.split(" · ")[0]) for label in labels(at)]


def test_the_plan_opens_with_the_top_ranked_actions_first(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    assert not at.exception
    page = texts(at)
    assert "Action plan: Exampleshire (fictional example)" in page
    assert at.segmented_control(key="plan.group").value == "priority"
    saved = store.get(example.id)
    plan = build_plan(BANK, get_library(), saved, score(BANK, saved))
    shown = labels(at)
    assert [int(label.split(".")[0]) for label in shown] == list(range(1, len(plan.actions) + 1))
    assert shown[0].startswith("1. Bring alcohol commissioners")
    assert at.subheader[0].value.startswith("Suggested actions, most important first")


def test_the_plan_can_still_be_grouped_by_principle(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    at.segmented_control(key="plan.group").set_value("principle").run()
    assert not at.exception
    page = texts(at)
    assert "Principle 6: Supporting desistance from crime" in page
    assert "Partner involvement" in page
    assert any(label.startswith("1. Bring alcohol commissioners") for label in labels(at))


def test_an_open_action_shows_its_practice_example_in_full_with_its_source(store):
    example = create_example(store, BANK)
    at = open_action(open_plan(example.id), example.id, TOP)
    assert not at.exception
    page = texts(at)
    assert "Practice example: Hampshire, Commissioning alcohol help from a needs analysis" in page
    assert "The need." in page and "What they did." in page and "Outcome." in page
    briefing = "Revolving Doors Agency, IOM: Effective Alternatives to Short Sentences (2012)"
    assert f"Source: {briefing}, ‘Thinking about alcohol’; {briefing}, ‘Hampshire IOM’" in page
    assert "£5" in page
    # Each source once: the suggestion's sources are the example's, so they are not cited a second time.
    assert page.count(f"{briefing}, ‘Hampshire IOM’") == 1
    assert "Where this suggestion comes from: the practice example above." in page
    assert ".txt" not in page, "citations name the document, not the file"
    # Why this rank: a plain sentence first, the arithmetic after it.
    saved = store.get(example.id)
    ranked = len(build_plan(BANK, get_library(), saved, score(BANK, saved)).actions)
    assert (
        f"**Why this rank.** Ranked 1 of {ranked}: this partner is not involved at board level at all, and the "
        "Revolving Doors briefing names it as a partner that many IOM areas could involve much more." in page
    )
    assert page.index("**Why this rank.** Ranked 1 of") < page.index("Points: 10 + 20 × 1.00")
    # It also answers the principle 6 gap on alcohol treatment, whose own alcohol action it took in.
    assert "The gaps this action answers" in page
    assert "Alcohol treatment services: none of the signs of strategic involvement are in place (0%)." in page


def test_quick_wins_only_says_why_there_are_none_when_no_source_states_a_cost(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    assert labels(at)
    assert not any(" · quick win · " in label for label in labels(at))
    at.toggle(key="plan.quick_wins").set_value(True).run()
    assert labels(at) == []
    assert NO_QUICK_WINS_TEXT in [info.value for info in at.info]


def test_filtering_by_partner_and_by_principle(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    at.selectbox(key="plan.partner").select("prison").run()
    saved = store.get(example.id)
    expected = build_plan(BANK, get_library(), saved, score(BANK, saved)).select(partner_id="prison")
    assert expected
    assert sorted(titles(at)) == sorted(a.title for a in expected)
    at.selectbox(key="plan.partner").select(None).run()
    at.selectbox(key="plan.principle").select(2).run()
    assert sorted(titles(at)) == sorted(
        a.title for a in build_plan(BANK, get_library(), saved, score(BANK, saved)).select(principle=2)
    )
    at.segmented_control(key="plan.group").set_value("principle").run()
    assert "Principle 2: Delivering a local response to local problems" in texts(at)
    assert "Principle 6: Supporting desistance from crime" not in texts(at)


def test_grouping_by_partner(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    at.segmented_control(key="plan.group").set_value("partner").run()
    assert not at.exception
    assert "Mental health services (" in texts(at)


def test_editing_an_owner_and_a_status_saves_them_at_once(store):
    example = create_example(store, BANK)
    at = open_action(open_plan(example.id), example.id, TOP)
    at.text_input(key=f"{example.id}.{TOP}.owner").input("Head of commissioning").run()
    at.selectbox(key=f"{example.id}.{TOP}.status").select("in_progress").run()
    saved = store.get(example.id).plan[TOP]
    assert (saved.owner, saved.status) == ("Head of commissioning", "in_progress")
    top = labels(at)[[t.startswith("1. ") for t in labels(at)].index(True)]
    assert top.endswith("**In progress**")
    assert " · Owner: Head of commissioning · " in top
    assert "Drug and alcohol commissioners" not in top, "once there is an owner, the row shows the owner, not the lead"
    assert "Your board's record" in texts(at), "the action stays open after its status changes"


def test_dropping_an_action_asks_for_a_reason(store):
    example = create_example(store, BANK)
    at = open_action(open_plan(example.id), example.id, TOP)
    at.selectbox(key=f"{example.id}.{TOP}.status").select("dropped").run()
    assert "Give a reason for dropping this action" in texts(at)
    at.text_input(key=f"{example.id}.{TOP}.dropped_reason").input("Commissioners already attend").run()
    assert store.get(example.id).plan[TOP].dropped_reason == "Commissioners already attend"
    assert "Give a reason for dropping this action" not in texts(at)


def test_raising_a_target_saves_it_and_adds_gaps(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    before = at.metric[1].value
    at.session_state["plan.targets"] = True  # open "Target level for each principle"
    at.run()
    at.number_input(key=f"{example.id}.target.4").set_value(4).run()
    assert store.get(example.id).targets == {4: 4}
    assert int(at.metric[1].value) > int(before)


def test_the_board_adds_its_own_action(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_plan(assessment.id)
    at.session_state["plan.own_open"] = True  # open "Add an action the plan does not suggest"
    at.run()
    at.text_area(key=f"{assessment.id}.own.what").input("Agree a shared referral form with the district councils")
    at.text_input(key=f"{assessment.id}.own.lead").input("Community safety partnership")
    at.button(key="FormSubmitter:plan.own-Add to the plan").click().run()
    assert not at.exception
    [own] = store.get(assessment.id).plan.values()
    assert own.own and own.lead == "Community safety partnership"
    assert "Your action has been added" in texts(at)
    assert any("Agree a shared referral form" in label for label in labels(at))


def test_a_link_from_a_gap_shows_only_its_actions(store):
    example = create_example(store, BANK)
    at = open_plan(example.id, gap="partner:mental_health:strategic")
    assert "Showing the actions for one gap" in texts(at)
    assert titles(at) == ["Bring a senior lead from the mental health trust onto the IOM board"]


def test_an_action_without_an_owner_shows_its_suggested_lead(store):
    example = create_example(store, BANK)
    at = open_plan(example.id)
    assert " · Lead: Drug and alcohol commissioners · " in labels(at)[0]


def test_no_two_actions_on_the_page_share_a_title(store):
    example = create_example(store, BANK)
    shown = titles(open_plan(example.id))
    assert len(shown) == len(set(shown))


def test_the_results_page_links_each_gap_to_its_actions(store):
    example = create_example(store, BANK)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["a"] = example.id
    at.switch_page("app_pages/results.py")
    at.run()
    assert not at.exception
    assert "Gaps and their actions" in texts(at)
    links = [link.proto for link in at.get("page_link")]
    gap_links = [p for p in links if "suggested action" in p.label]
    assert gap_links and all(p.page.endswith("action-plan") or "action" in p.page for p in gap_links)


def test_next_year_shows_what_was_done_with_last_year_s_plan(store):
    last_year = start_assessment(store, BANK, area="Northshire", year=2025)
    save_action(store, last_year, "p6-plan-the-exit@statement:p6-exit-strategy", status="done", owner="IOM manager")
    this_year = start_assessment(store, BANK, area="Northshire", year=2026)
    at = open_plan(this_year.id)
    assert not at.exception
    assert "Last year's plan" in texts(at)
    assert "1 action done last year." in texts(at)
    [table] = at.dataframe
    assert table.value["Status"].tolist() == ["Done"]
