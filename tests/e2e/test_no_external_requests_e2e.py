"""No request leaves the app's own origin: locked-down police and council networks block everything else.

Every page is loaded in a real browser, with an assessment whose area name and notes try to make the browser
fetch an image from elsewhere (they must show as written), and every request the pages make is recorded.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from assessment.model import ActionEdit, StatementAnswer
from assessment.services import example_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle

BANK = get_bank()
ELSEWHERE = "http://elsewhere.invalid/tracker.png"
AREA = f"**Crafted** ![x]({ELSEWHERE}) shire"
PAGES = ("", "survey", "results", "action-plan", "compare", "method")


def test_every_page_loads_with_no_request_to_another_origin(app_server, page):
    store = Store(app_server.db_path)
    assessment = example_assessment(BANK, year=2026).model_copy(update={"area": AREA, "is_example": False})
    statement = BANK.statements()[0][1].id
    assessment.answers[statement] = StatementAnswer(choice="2", evidence=f"See ![note]({ELSEWHERE})")
    assessment.plan = {"own-1": ActionEdit(action_id="own-1", own=True, what=f"![act]({ELSEWHERE})", owner="Chair")}
    saved = store.create(assessment)

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in PAGES:
        page.goto(f"{app_server.url}/{path}?a={saved.id}")
        settle(page)
        page.get_by_test_id("stMain").wait_for()
        if path in ("results", "compare", "method"):
            page.get_by_test_id("stTable").first.wait_for()  # tables render Markdown: wait until they are drawn
        page.wait_for_timeout(500)  # let images, fonts and icons the page asked for start loading
        if path in ("survey", "results", "action-plan"):
            title = page.get_by_test_id("stMain").get_by_role("heading", level=1).first.inner_text()
            assert AREA in title, title
            assert page.locator(f"img[src='{ELSEWHERE}']").count() == 0

    origin = urlsplit(app_server.url)
    elsewhere = sorted(
        {url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
        - {url for url in requests if urlsplit(url).netloc == origin.netloc}
    )
    assert elsewhere == []
    assert len(requests) > len(PAGES)  # the recorder saw the pages' own requests
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert not urlsplit(icon).netloc or urlsplit(icon).netloc == origin.netloc, icon
