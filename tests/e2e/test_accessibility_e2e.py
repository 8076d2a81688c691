"""WCAG 2.2 AA in a real browser: axe-core on every page and on the states that matter, page titles and headings,
reflow at a phone's width, and the failures that are Streamlit's own, shown on a one-widget Streamlit page."""

from __future__ import annotations

import pytest

from assessment.services import answer_statement, create_example, example_assessment, start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.accessibility import (
    SERIOUS,
    STREAMLIT_OWN,
    cut_off_text,
    failures,
    faint_chart_text,
    heading_levels,
    headings_in_order,
    own_serious,
    sideways_scroll,
)
from tests.e2e.conftest import settle
from tests.e2e.server import ROOT, AppServer

BANK = get_bank()
SERVICE = "IOM self-assessment"
# (URL path, the page's title): every page of the app.
PAGES = [
    ("", "Start"),
    ("survey", "Answer the questions"),
    ("survey?section=Partner+coverage", "Answer the questions"),
    ("agreement", "Agree the position"),
    ("results", "Results"),
    ("action-plan", "Action plan"),
    ("board-summary", "Board summary"),
    ("compare", "Compare areas and years"),
    ("method", "How scores are calculated"),
    ("accessibility", "Accessibility statement"),
]
LONG_AREA = "North Eastshire and Riverside Combined Authority"
NOTE_WITH_AN_EMAIL = "Agreed with jo.bloggs@example.org at the March board"


@pytest.fixture(scope="module")
def example_server(tmp_path_factory):
    """One app for the module: the fictional example with a note that looks like personal data, and two years of an
    area with a long name, so the Compare page has a heat map and a year-on-year table to lay out."""
    folder = tmp_path_factory.mktemp("a11y")
    server = AppServer(folder / "e2e.sqlite3", folder / "streamlit.log").start()
    store = Store(server.db_path)
    example = create_example(store, BANK)
    answer_statement(store, example, BANK.principles[0].statements[0].id, evidence=NOTE_WITH_AN_EMAIL)
    for year in (2025, 2026):
        area = example_assessment(BANK, year=year).model_copy(update={"area": LONG_AREA, "is_example": False})
        store.create(area)
    yield server, example.id
    server.stop()


def open_page(page, server, assessment_id: str, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    page.goto(f"{server.url}/{path}{joiner}a={assessment_id}")
    settle(page)
    page.wait_for_timeout(500)  # charts are drawn after the script has finished


def assert_no_own_serious_failures(page, where: str) -> None:
    found = own_serious(failures(page))
    assert not found, f"{where}: axe-core found failures the app's own content causes:\n" + "\n".join(map(str, found))


# A laptop (1400), a phone (390), the narrowest screen WCAG 1.4.10 asks for (320) and a 1280 px laptop zoomed to
# 200% (640).
WIDTHS = (1400, 390, 320, 640)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p or "start" for p, _ in PAGES])
def test_every_page_passes_axe_core_has_its_own_title_and_fits_any_screen(example_server, page, path, title):
    server, assessment_id = example_server
    open_page(page, server, assessment_id, path)
    assert page.title() == f"{title} - {SERVICE}"
    levels = heading_levels(page)
    assert headings_in_order(levels), f"headings out of order: {levels}"
    assert page.get_by_role("link", name="Link to heading").count() == 0  # no needless Tab stops
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(700)  # charts are laid out again for the new width
        assert_no_own_serious_failures(page, f"{path or 'start'} at {width} px")
        assert sideways_scroll(page) <= 0, f"{title} scrolls sideways at {width} px"
        assert cut_off_text(page) == [], f"{title} cuts text short at {width} px"
        assert faint_chart_text(page) == [], f"{title} has chart text below 4.5:1 at {width} px"


def test_key_states_pass_axe_core(example_server, page, tmp_path):
    server, assessment_id = example_server
    # The survey shows each level's description, and the personal-data warning under statement 1.1's note.
    open_page(page, server, assessment_id, "survey")
    page.get_by_text("an email address", exact=False).first.wait_for(state="visible")
    page.get_by_text(BANK.principles[0].statements[0].levels[0][:40]).first.wait_for(state="visible")
    assert_no_own_serious_failures(page, "survey with levels and a personal-data warning")

    open_page(page, server, assessment_id, "")
    bad = tmp_path / "return.xlsx"
    bad.write_text("this is not a workbook")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    settle(page)
    page.get_by_test_id("stAlert").first.wait_for(state="visible")
    assert_no_own_serious_failures(page, "start page with an upload error")

    # Results before there is an overall score: the headline figures are words, and are shown whole.
    started = start_assessment(Store(server.db_path), BANK, area="Newshire", year=2026)
    open_page(page, server, started.id, "results")
    page.get_by_text("There is not yet enough evidence for an overall score").wait_for(state="visible")
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(700)
        assert cut_off_text(page) == [], f"Results with no overall score cuts text short at {width} px"
    assert_no_own_serious_failures(page, "results with no overall score")


NAVIGATION_PAGE = """
import streamlit as st

def first():
    st.radio("Choose one", ["Yes", "No"], index=None)

def second():
    st.write("A second page, so that Streamlit shows its navigation menu.")

st.navigation({"Pages": [st.Page(first, title="First"), st.Page(second, title="Second")]}).run()
"""
WIDE_TABLE_PAGE = """
import streamlit as st

st.table({f"Column {n}": [f"Value {n}"] for n in range(1, 13)})
"""
# Each Streamlit part the app's checks put down to Streamlit, alone on a page: (script, screen width, rules).
STREAMLIT_PAGES = {
    "navigation": (NAVIGATION_PAGE, 1400, {"list", "listitem"}),
    "wide table": (WIDE_TABLE_PAGE, 390, {"scrollable-region-focusable"}),
}


@pytest.mark.parametrize("name", list(STREAMLIT_PAGES))
def test_the_failures_put_down_to_streamlit_happen_on_a_one_widget_streamlit_page(chromium, tmp_path, name):
    source, width, rules = STREAMLIT_PAGES[name]
    script = tmp_path / "one_widget.py"
    script.write_text(source)
    server = AppServer(tmp_path / "unused.sqlite3", tmp_path / "streamlit.log", script=script).start()
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url)
        settle(page)
        found = failures(page)
    finally:
        context.close()
        server.stop()
    # The failure happens here too, where the app adds nothing, in the part of Streamlit the app's checks name ...
    assert {f.rule for f in found if f.streamlit_part} == rules
    assert {f.rule for f in found if f.impact in SERIOUS} == rules
    # ... and the accessibility statement names each rule.
    statement = (ROOT / "ACCESSIBILITY.md").read_text(encoding="utf-8")
    for rule in rules:
        assert f"`{rule}`" in statement, f"ACCESSIBILITY.md does not list axe-core rule {rule}"


def test_every_failure_put_down_to_streamlit_is_shown_on_its_own_page():
    assert set().union(*(rules for _, _, rules in STREAMLIT_PAGES.values())) == set(STREAMLIT_OWN)


DEFAULT_CHART_PAGE = """
import streamlit as st

st.vega_lite_chart(
    {"data": {"values": [{"a": "One", "b": 2}, {"a": "Two", "b": 3}]}, "mark": "bar",
     "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}},
)
"""


def test_a_chart_in_vegas_own_colours_has_faint_axis_text_which_the_app_charts_do_not(chromium, tmp_path):
    """Vega's default axis text is grey, below 4.5:1 on white (1.4.3), and axe-core does not check text in a chart:
    so the page checks above measure it, and here the same measure finds it on a chart the app has not coloured."""
    script = tmp_path / "one_chart.py"
    script.write_text(DEFAULT_CHART_PAGE)
    server = AppServer(tmp_path / "unused.sqlite3", tmp_path / "streamlit.log", script=script).start()
    context = chromium.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.url)
        settle(page)
        page.locator("[data-testid=stVegaLiteChart] svg text").first.wait_for()
        faint = faint_chart_text(page)
    finally:
        context.close()
        server.stop()
    assert {"One", "Two"} <= {text.split(" (")[0] for text in faint}, faint
