"""Offline completion in a real browser: download the template, fill it in, upload it, see the results,
download the report and open it."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assessment.services import example_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle
from tests.unit.excel_helpers import fill_template

BANK = get_bank()


def test_a_template_filled_offline_becomes_results_and_a_report(app_server, page, tmp_path):
    page.goto(app_server.url)
    settle(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the blank template (Excel)").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename.endswith(".xlsx")

    answers = example_assessment(BANK, year=2026).model_copy(update={"area": "Northshire", "is_example": False})
    filled = tmp_path / "northshire.xlsx"
    filled.write_bytes(fill_template(BANK, answers, template.read_bytes()))

    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(filled))
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    settle(page)
    page.get_by_role("heading", name="Results: Northshire 2026").wait_for()
    assert "a=" in page.url

    saved = Store(app_server.db_path).list()
    assert [(s.area, s.year) for s in saved] == [("Northshire", 2026)]
    assert Store(app_server.db_path).get(saved[0].id).answers == answers.answers

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (Excel)").click()
    report = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert report.sheetnames[:7] == [
        "Board summary", "Summary", "Principles", "Partners", "Action plan", "Responses", "Method and sources"
    ]  # fmt: skip
    assert report["Summary"]["B3"].value == "Northshire"
    assert report["Summary"]["B4"].value == 2026


def test_a_bad_upload_shows_the_problems_and_saves_nothing(app_server, page, tmp_path):
    page.goto(app_server.url)
    settle(page)
    bad = tmp_path / "return.xlsx"
    bad.write_text("area,year\nNorthshire,2026\n")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    settle(page)
    page.get_by_text("it holds plain text, such as CSV").wait_for()
    assert Store(app_server.db_path).counts()["assessments"] == 0


def test_uploading_an_area_and_year_already_saved_asks_to_replace_or_keep_both(app_server, page, tmp_path):
    page.goto(app_server.url)
    settle(page)
    page.get_by_role("textbox", name="Name of your IOM area").fill("Northshire")
    page.get_by_role("button", name="Start", exact=True).click()
    settle(page)
    existing = Store(app_server.db_path).list()[0]

    answers = example_assessment(BANK, year=2026).model_copy(update={"area": "Northshire", "is_example": False})
    filled = tmp_path / "northshire.xlsx"
    filled.write_bytes(fill_template(BANK, answers))
    page.goto(app_server.url)
    settle(page)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(filled))
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    settle(page)
    page.get_by_text("There is already a self-assessment for Northshire 2026").wait_for()
    assert Store(app_server.db_path).get(existing.id).answers == {}  # nothing replaced before the choice

    page.get_by_role("button", name="Replace it").click()
    settle(page)
    page.get_by_role("heading", name="Results: Northshire 2026").wait_for()
    saved = Store(app_server.db_path).list()
    assert [s.id for s in saved] == [existing.id]  # the same link still works
    assert Store(app_server.db_path).get(existing.id).answers == answers.answers
