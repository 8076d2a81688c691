"""Text from a user or a file is shown exactly as written: never bold, a link, an image or an icon."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from assessment.files.json import export_json
from assessment.privacy import mask_personal_data
from assessment.services import example_assessment, start_assessment
from questions.loader import get_bank
from tests.app.conftest import ROOT, as_shown, open_page, texts

BANK = get_bank()
# Bold, an image the browser would fetch, a link, Streamlit's colour and icon syntax, an emoji shortcode, HTML.
CRAFTED = (
    "**Bold** ![x](http://127.0.0.1:9/x.png) [link](http://127.0.0.1:9/) :red[red] :material/home: :smile: <b>b</b>"
)


def open_after_start(page: str, assessment_id: str | None = None) -> AppTest:
    """The app on ``page``, after a first run registers the pages (some url paths differ from the file names)."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.run()
    at.switch_page(page)
    return at.run()


def unescaped_markdown(markdown: str) -> list[str]:
    """Pieces of Markdown syntax that are not escaped: an image, a link, bold, a directive, a shortcode or a tag."""
    patterns = [r"(?<!\\)!(?<!\\)\[", r"(?<!\\)\]\(", r"(?<!\\)\*\*", r"(?<!\\):\w+(?<!\\)\[", r":\w+:", r"(?<!\\)<b"]
    return [p for p in patterns if re.search(p, markdown)]


def crafted_json() -> bytes:
    """An export whose answers hold a statement reference made of Markdown: the refusal quotes it."""
    raw = json.loads(export_json(example_assessment(BANK, year=2026)))
    raw["assessment"]["is_example"] = False
    raw["assessment"]["answers"][CRAFTED] = {"choice": "2"}
    return json.dumps(raw).encode()


def test_an_import_refusal_quotes_the_files_content_as_written(store):
    at = open_page("app_pages/start.py")
    at.get("file_uploader")[0].set_value(("crafted.json", crafted_json(), "application/json"))
    at.run()
    at.button(key="start.import").click().run()
    assert not at.exception
    (refusal,) = [e.value for e in at.error]
    assert f"assessment.answers.{CRAFTED}: not a statement of question bank" in as_shown(refusal)
    assert unescaped_markdown(refusal) == []
    assert store.list() == []


def test_a_compare_upload_shows_each_files_name_and_message_as_written(store):
    at = open_after_start("app_pages/compare.py")
    at.get("file_uploader")[0].set_value([(f"{CRAFTED}.json", crafted_json(), "application/json")])
    at.run()
    at.button(key="compare.import").click().run()
    assert not at.exception
    (refusal,) = [e.value for e in at.error]
    assert as_shown(refusal).startswith(f"**{CRAFTED}.json**: Nothing was imported")
    assert CRAFTED in as_shown(refusal).split("**: ", 1)[1]
    assert unescaped_markdown(refusal.split("**: ", 1)[1]) == []


def test_an_area_name_made_of_markdown_shows_as_written_on_every_page(store):
    assessment = start_assessment(store, BANK, area=CRAFTED, year=2026)
    for page, heading in (
        ("app_pages/survey.py", "Self-assessment"),
        ("app_pages/results.py", "Results"),
        ("app_pages/action_plan.py", "Action plan"),
    ):
        at = open_after_start(page, assessment.id)
        assert not at.exception
        (title,) = [t.value for t in at.title]
        assert as_shown(title) == f"{heading}: {CRAFTED} 2026"
        assert unescaped_markdown(title) == []
    at = open_page("app_pages/start.py", assessment.id)
    at.text_input[0].input(CRAFTED)
    at.number_input[0].set_value(2026)
    at.button(key="FormSubmitter:start.new-Start").click().run()
    (duplicate,) = [w.value for w in at.warning]
    assert f"There is already a self-assessment for {CRAFTED} 2026" in as_shown(duplicate)
    assert unescaped_markdown(duplicate) == []
    assert f"You are working on {CRAFTED} 2026" in texts(at)


def test_the_personal_data_warning_shows_the_masked_sample_as_written(store):
    assessment = start_assessment(store, BANK, area="Northshire", year=2026)
    statement = BANK.statements()[0][1].id
    store.update_answer(assessment.id, statement, {"choice": "2", "evidence": "Case AB 12 34 56 C"})
    at = open_page("app_pages/survey.py", assessment.id)
    warnings = [w.value for w in at.warning if "National Insurance" in w.value]
    assert len(warnings) == 1
    assert f"“{mask_personal_data('AB 12 34 56 C')}”" in as_shown(warnings[0])
    assert "the Excel report and the JSON file show it masked" in as_shown(warnings[0])
    assert unescaped_markdown(warnings[0]) == []


def test_tables_show_an_area_name_as_written(store):
    start_assessment(store, BANK, area=CRAFTED, year=2026)
    at = open_after_start("app_pages/compare.py")
    assert not at.exception
    (scores,) = [t for t in at.table if "Assessment" in t.value.columns]  # found by content, not position
    cell = scores.value["Assessment"].iloc[0]
    assert as_shown(cell) == f"{CRAFTED} 2026"
    assert unescaped_markdown(cell) == []
