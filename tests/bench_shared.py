"""`make bench`, shared-service section: many browser sessions saving at once, and the app killed mid-save.

Twenty Chromium sessions, each signed in at a real OpenID Connect provider (oidc-provider-mock) as the
coordinator of its area, answer a whole principle as fast as the page allows. Two sessions share each
assessment and answer different principles, so a save landing in the wrong place shows. Printed:

- answers expected against answers stored: how many were lost and how many crossed into the wrong place;
- the 95th percentile of the time from a click to "Saved" on the page, against one session alone (a ratio);
- the app process killed with ``kill -9`` while sessions save, then restarted: acknowledged answers lost.

Run against PostgreSQL (Debian's, started here) and SQLite. Bounded: every loop has a fixed count and every
wait a timeout; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SESSIONS = 20
CLICK_TIMEOUT_MS = 60_000


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[tuple[str, str], str] = field(default_factory=dict)  # (assessment, statement) -> choice
    failures: int = 0

    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")


def level_for(session: int, number: int) -> str:
    """A level that tells sessions apart: session s answers statement n with (s + n) mod 5."""
    return str((session + number) % 5)


async def sign_in(browser, app_url: str, email: str):
    context = await browser.new_context(viewport={"width": 1300, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(CLICK_TIMEOUT_MS)
    await page.goto(app_url)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    await page.locator("input[name=sub]").fill(email)
    await page.get_by_role("button", name="Authorize").click()
    await page.get_by_text(f"Signed in as {email}").first.wait_for()
    return context, page


async def answer_principle(
    page, app_url: str, assessment_id: str, principle, session: int, outcome: Outcome, gate: asyncio.Semaphore
) -> None:
    from playwright.async_api import expect

    from questions.loader import get_bank

    async with gate:  # pages are opened a few at a time, as at sign-in; then all sessions answer at once
        try:
            await page.goto(f"{app_url}/survey?a={assessment_id}&section=Principle+{principle.number}")
            await page.get_by_text(f"Principle {principle.number}: {principle.name}").first.wait_for()
        except Exception as error:
            outcome.failures += 1  # this session never got to answer: nothing of it is expected
            if os.environ.get("IOM_BENCH_DEBUG"):
                print(f"session {session}: the survey did not open: {error}")
            return
    for number, statement in enumerate(principle.statements, start=1):
        choice = level_for(session, number)
        group = page.get_by_role("radiogroup", name=re.compile(rf"^{principle.number}\.{number} "))
        started = time.perf_counter()
        try:
            await group.get_by_text(f"{choice} {get_bank().level_label(int(choice))}", exact=True).first.click()
            # Each statement answered in this session shows "Saved at ..." once the save is read back.
            await expect(page.get_by_text(re.compile(r"Saved at \d"))).to_have_count(number, timeout=CLICK_TIMEOUT_MS)
        except Exception as error:
            outcome.failures += 1
            if os.environ.get("IOM_BENCH_DEBUG"):
                await page.screenshot(path=f"/tmp/bench-failure-{session}.png")
                print(f"session {session}: {error}")
            return
        outcome.latencies.append(time.perf_counter() - started)
        outcome.acknowledged[(assessment_id, statement.id)] = choice


async def run_sessions(app_url: str, work: list[tuple[str, str, int, object]], *, during=None) -> Outcome:
    """``work``: (email, assessment id, session number, principle) per browser session, all at once."""
    from playwright.async_api import async_playwright

    from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS

    outcome = Outcome()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        gate = asyncio.Semaphore(4)  # sign in a few at a time: twenty page loads at once swamp two cores

        async def signed_in(email: str):
            async with gate:
                return await sign_in(browser, app_url, email)

        pages = await asyncio.gather(*(signed_in(email) for email, *_ in work))
        tasks = [
            answer_principle(page, app_url, assessment_id, principle, session, outcome, gate)
            for (_, page), (_, assessment_id, session, principle) in zip(pages, work, strict=True)
        ]
        if during is not None:
            tasks.append(during(outcome))
        await asyncio.gather(*tasks)
        await browser.close()
    return outcome


def check_stored(store, outcome: Outcome, expected: dict[tuple[str, str], str]) -> tuple[int, int]:
    """(lost, crossed): acknowledged answers missing or different; answers stored that nobody gave there."""
    lost = crossed = 0
    stored_by_assessment = {aid: store.get(aid) for aid, _ in expected}
    for (assessment_id, statement_id), choice in outcome.acknowledged.items():
        answer = stored_by_assessment[assessment_id].answers.get(statement_id)
        if answer is None or answer.choice != choice:
            lost += 1
    for assessment_id, assessment in stored_by_assessment.items():
        for statement_id, answer in assessment.answers.items():
            if expected.get((assessment_id, statement_id)) != answer.choice:
                crossed += 1
    return lost, crossed


def shared_service(database_url: str, folder: Path, areas: int):
    """A shared-mode app on ``database_url`` with ``areas`` areas, a coordinator pair for each, and a provider."""
    from assessment import services
    from assessment.access import operator
    from questions.loader import get_bank
    from tests.e2e.oidc import OidcProvider, secrets_toml
    from tests.e2e.server import AppServer

    os.environ["IOM_DATABASE_URL"] = database_url
    store = open_store(database_url)
    bank = get_bank()
    ops = operator("bench")
    ids = []
    for number in range(areas):
        area = f"Benchshire {number}"
        for who in ("a", "b"):
            services.add_member(store, actor=ops, email=f"{who}{number}@bench.example", role="coordinator", area=area)
        ids.append(services.start_assessment(store, bank, area=area, year=2026, actor=ops).id)
    provider = OidcProvider(folder / "oidc.log").start()
    server = AppServer(folder / "unused.sqlite3", folder / "streamlit.log", env={"IOM_DATABASE_URL": database_url})
    secrets = folder / "secrets.toml"
    secrets.write_text(secrets_toml(app_url=server.url, provider=provider))
    server.args = (f"--secrets.files={secrets}",)
    server.start()
    return store, bank, ids, server, provider


def open_store(database_url: str):
    from assessment.store import Store

    return Store(database_url)


def measure(database_url: str, folder: Path) -> tuple[list[str], int]:
    """The concurrency and kill figures for one database, as printable lines, and how many answers went wrong."""
    store, bank, ids, server, provider = shared_service(database_url, folder, SESSIONS // 2)
    try:
        first, second = bank.principles[0], bank.principles[1]
        alone = asyncio.run(
            run_sessions(server.url, [("a0@bench.example", ids[0], 0, p) for p in bank.principles[2:3]])
        )
        work = []
        expected: dict[tuple[str, str], str] = {}
        for number, assessment_id in enumerate(ids):
            for who, principle in (("a", first), ("b", second)):
                session = len(work)
                work.append((f"{who}{number}@bench.example", assessment_id, session, principle))
                for n, statement in enumerate(principle.statements, start=1):
                    expected[(assessment_id, statement.id)] = level_for(session, n)
        crowd = asyncio.run(run_sessions(server.url, work))
        for (assessment_id, statement_id), choice in alone.acknowledged.items():
            expected[(assessment_id, statement_id)] = choice
        lost, crossed = check_stored(store, crowd, expected)
        lines = [
            f"{SESSIONS} sessions at once: {len(expected) - len(alone.acknowledged)} answers expected, "
            f"{len(crowd.acknowledged)} acknowledged, {lost} lost, {crossed} crossed, {crowd.failures} clicks or page loads timed out",
            f"p95 click-to-saved: {crowd.p95() * 1000:.0f} ms with {SESSIONS} sessions, {alone.p95() * 1000:.0f} ms "
            f"alone: ratio {crowd.p95() / alone.p95():.1f}x",
        ]
        killed, killed_lost = kill_figure(store, bank, ids, server)
        lines.append(killed)
        return lines, lost + crossed + killed_lost
    finally:
        server.stop()
        provider.stop()
        os.environ.pop("IOM_DATABASE_URL", None)


def kill_figure(store, bank, ids, server) -> tuple[str, int]:
    """Sessions save; the app is killed with SIGKILL part-way and restarted; count acknowledged answers lost."""
    principle = bank.principles[3]
    work = [(f"a{n}@bench.example", aid, 100 + n, principle) for n, aid in enumerate(ids)]

    async def killer(outcome: Outcome) -> None:
        for _ in range(600):  # at most a minute: kill once a few answers have been acknowledged
            if len(outcome.acknowledged) >= len(work):
                break
            await asyncio.sleep(0.1)
        server.process.kill()  # SIGKILL: no clean shutdown
        server.process.wait()

    outcome = asyncio.run(run_sessions(server.url, work, during=killer))
    server.start()
    lost = sum(
        1
        for (assessment_id, statement_id), choice in outcome.acknowledged.items()
        if (store.get(assessment_id).answers.get(statement_id) or None) is None
        or store.get(assessment_id).answers[statement_id].choice != choice
    )
    return (
        f"kill -9 while {len(work)} sessions save, then restart: {len(outcome.acknowledged)} answers acknowledged "
        f"before the kill, {lost} of them lost"
    ), lost


def main() -> int:
    from tests.postgres import PostgresServer, binaries

    results: list[tuple[str, list[str]]] = []
    wrong = 0
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        if binaries() is not None:
            postgres = PostgresServer(fsync=True).start()  # durable commits, as a real server makes them
            try:
                (base / "pg").mkdir()
                lines, bad = measure(postgres.database(), base / "pg")
                results.append(("PostgreSQL", lines))
                wrong += bad
            except Exception as error:  # the figure is reported as missing, and the SQLite figures still run
                results.append(("PostgreSQL", [f"not measured: {error}"]))
            finally:
                postgres.stop()
        else:
            results.append(("PostgreSQL", ["not measured: Debian's postgresql is not installed"]))
        (base / "sqlite").mkdir()
        lines, bad = measure(f"sqlite:///{base / 'sqlite' / 'shared.sqlite3'}", base / "sqlite")
        results.append(("SQLite", lines))
        wrong += bad
    print("\nShared service: concurrent browser sessions (Chromium), signed in through a real OIDC provider")
    for name, lines in results:
        print(f"  {name}:")
        for line in lines:
            print(f"    {line}")
    return 1 if wrong else 0  # an answer lost or crossed fails `make bench`


if __name__ == "__main__":
    raise SystemExit(main())
