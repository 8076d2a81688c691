"""Shared mode in a real browser, signing in at a real OpenID Connect provider (oidc-provider-mock).

A coordinator of Testshire signs in, answers, and cannot open Northshire's assessment by its link; an
inspector sees both, read-only; a stranger sees neither.
"""

from __future__ import annotations

import re

import pytest

from assessment import services
from assessment.access import operator
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle
from tests.e2e.oidc import OidcProvider, secrets_toml
from tests.e2e.server import AppServer

BANK = get_bank()
FIRST = BANK.principles[0].statements[0]
OPS = operator("e2e")


@pytest.fixture
def shared_service(tmp_path, monkeypatch, postgres_url):
    """The shared service as it runs for real: PostgreSQL, sign-in at an OpenID Connect provider."""
    provider = OidcProvider(tmp_path / "oidc.log").start()
    url = postgres_url
    monkeypatch.setenv("IOM_DATABASE_URL", url)
    store = Store(url)
    for email, role, area in (
        ("coord@testshire.example", "coordinator", "Testshire"),
        ("coord@northshire.example", "coordinator", "Northshire"),
        ("hmi@inspectorate.example", "inspector", None),
    ):
        services.add_member(store, actor=OPS, email=email, role=role, area=area)
    ids = {
        area: services.start_assessment(store, BANK, area=area, year=2026, actor=OPS).id
        for area in ("Testshire", "Northshire")
    }
    secrets = tmp_path / "secrets.toml"
    server = AppServer(tmp_path / "unused.sqlite3", tmp_path / "streamlit.log", env={"IOM_DATABASE_URL": url})
    secrets.write_text(secrets_toml(app_url=server.url, provider=provider))
    server.args = (f"--secrets.files={secrets}",)
    server.start()
    yield server, store, ids
    server.stop()
    provider.stop()
    store.engine.dispose()


def sign_in(chromium, server: AppServer, email: str):
    context = chromium.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server.url)
    settle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(rf"^{re.escape(server.url)}/?(\?.*)?$"))
    settle(page)
    page.get_by_text(f"Signed in as {email}").first.wait_for()
    return context, page


def open_link(page, server: AppServer, path: str) -> str:
    page.goto(f"{server.url}/{path}")
    settle(page)
    return page.get_by_test_id("stMain").inner_text()


def test_each_person_sees_and_changes_only_what_their_role_allows(shared_service, chromium):
    server, store, ids = shared_service

    context, page = sign_in(chromium, server, "coord@testshire.example")
    text = open_link(page, server, f"survey?a={ids['Testshire']}")
    assert "Self-assessment: Testshire 2026" in text
    page.get_by_role("radiogroup", name=re.compile(r"^1\.1 ")).get_by_text("3 Established", exact=True).click()
    settle(page)
    assert store.get(ids["Testshire"]).answers[FIRST.id].choice == "3"
    text = open_link(page, server, f"survey?a={ids['Northshire']}")
    assert "You do not have access to this assessment." in text
    assert "Northshire" not in text
    assert page.get_by_role("radiogroup").count() == 0
    context.close()

    context, page = sign_in(chromium, server, "hmi@inspectorate.example")
    for area in ("Testshire", "Northshire"):
        text = open_link(page, server, f"survey?a={ids[area]}")
        assert f"Self-assessment: {area} 2026" in text
        assert "You can read this self-assessment, but not change it." in text
        first = page.get_by_role("radiogroup", name=re.compile(r"^1\.1 "))
        assert first.get_by_role("radio", name="3 Established").is_disabled()
    assert store.get(ids["Northshire"]).answers == {}
    context.close()

    context, page = sign_in(chromium, server, "stranger@elsewhere.example")
    assert "you have no role in this service yet" in page.get_by_test_id("stMain").inner_text()
    for area in ("Testshire", "Northshire"):
        text = open_link(page, server, f"survey?a={ids[area]}")
        assert area not in text
        assert page.get_by_role("radiogroup").count() == 0
    context.close()
