"""The Board summary page printed from Chromium (as a board member's Print command does): at most two A4 landscape
pages, without the menu or the printing note, for the fictional example and for a crowded summary."""

from __future__ import annotations

import re

import pytest

from assessment.services import example_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import ARTIFACTS, settle
from tests.e2e.server import AppServer
from tests.unit.test_board_summary import crowded

BANK = get_bank()
A4_LANDSCAPE_PT = (842, 595)  # 297 x 210 mm in points, rounded


def printed_pages(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's size in points, from the PDF's page objects."""
    assert pdf.count(b"/Type /Page") or pdf.count(b"/Type/Page"), "not a PDF with pages"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(width)), round(float(height))) for width, height in boxes]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    server = AppServer(folder / "e2e.sqlite3", folder / "streamlit.log").start()
    store = Store(server.db_path)
    ids = {
        "example": store.create(example_assessment(BANK, year=2026)).id,
        "crowded": store.create(crowded().model_copy(update={"is_example": False})).id,
    }
    yield server, ids
    server.stop()


@pytest.mark.parametrize("which", ["example", "crowded"])
def test_the_board_summary_page_prints_on_at_most_two_a4_landscape_pages(server, page, which):
    app, ids = server
    page.goto(f"{app.url}/board-summary?a={ids[which]}")
    settle(page)
    page.locator("[data-testid=stVegaLiteChart] svg, [data-testid=stVegaLiteChart] canvas").first.wait_for()
    page.wait_for_timeout(500)  # the chart is drawn after the script has finished
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"board-summary-page-{which}.pdf").write_bytes(pdf)  # to look at
    pages = printed_pages(pdf)
    assert 1 <= len(pages) <= 2, f"the {which} board summary prints on {len(pages)} pages"
    assert all(size == A4_LANDSCAPE_PT for size in pages), pages
    # What the paper leaves out: the menu and the note on how to print.
    page.emulate_media(media="print")
    assert not page.get_by_test_id("stSidebar").is_visible()
    assert not page.get_by_text("To print this summary").is_visible()
    assert page.get_by_role("heading", name="Partner involvement").is_visible()
