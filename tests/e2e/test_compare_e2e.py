"""An inspector in a real browser opens the comparison of two saved areas, reads it, and downloads it."""

from __future__ import annotations

import csv
import io

from assessment.services import example_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle

BANK = get_bank()


def save_area(store: Store, name: str, year: int) -> None:
    store.create(example_assessment(BANK, year=year).model_copy(update={"area": name, "is_example": False}))


def test_an_inspector_compares_two_areas_and_downloads_the_table(app_server, page):
    store = Store(app_server.db_path)
    save_area(store, "Northshire", 2026)
    save_area(store, "Southshire", 2026)

    page.goto(f"{app_server.url}/compare")
    settle(page)
    page.get_by_role("heading", name="Compare areas and years").wait_for()
    assert "Comparing 2 self-assessments of 2 areas." in page.get_by_test_id("stMain").inner_text()

    scores = page.get_by_test_id("stTable").first
    text = scores.inner_text()
    for expected in ("Northshire 2026", "Southshire 2026", "Mean of these 2 assessments", "Principle 6"):
        assert expected in text
    chart = page.get_by_test_id("stVegaLiteChart")
    assert chart.get_attribute("aria-label").startswith("Heat map of the six principle scores of each self-assessment")
    assert "Northshire 2026: principle 1 3.0" in chart.get_attribute("aria-label")

    partners = page.get_by_test_id("stTable").nth(1).inner_text()
    assert "Mental health services" in partners and "No national figure" in partners

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the comparison (CSV)").click()
    lines = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [(line["Area"], line["Year"]) for line in lines] == [("Northshire", "2026"), ("Southshire", "2026")]
