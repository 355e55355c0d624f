"""Many partners at once in real browsers: PARTNERS phone contexts in one Chromium open their
own private links together, answer (changing one answer on the way) and send at the same
moment. Every context must see its own form, no error and the thank-you message; afterwards
the database (read once the server has stopped) holds every answer exactly once, exactly as
given, and every link submitted once.

The same load through core alone, with 50 partners, is tests/sql/test_links_concurrency.py.
The browsers run on Playwright's async API in a thread of their own (the session's sync
Playwright stays untouched), so the contexts really act at the same time.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

from core import instruments, links
from core.db import Database
from tests.conftest import make_counselor, make_couple, make_first_admin
from tests.e2e.conftest import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    IDLE,
    RUN_COUNTER,
    STEP_TIMEOUT_MS,
    TEST_CHROMIUM,
    running_server,
)

pytestmark = pytest.mark.e2e

PARTNERS = 6  # three couples, both partners of each (the SQL tier has fifty threads)
PHONE = {"width": 390, "height": 844}
CSI4 = instruments.load("csi4")
ITEMS = [item.id for item in CSI4.sections[0].items]
THANKS = "Your answers are with your counselor"
# The whole run for one context: a page load and six script runs, all contexts at once.
PARTNER_TIMEOUT_S = 120


def answers_of(i: int) -> list[int]:
    """Which option partner i picks in each item (different per partner, valid everywhere)."""
    return [(i + n) % 6 for n in range(len(ITEMS))]


def _prepare(db_path: Path) -> list[tuple[str, str, int]]:
    """A practice with PARTNERS // 2 couples and a CSI-4 link per partner: (name, token, link id)."""
    db = Database(db_path)
    try:
        counselor = make_counselor(db, make_first_admin(db), "casey")
        issued = []
        for c in range(PARTNERS // 2):
            cid = make_couple(db, counselor, f"Ana{c}", f"Ben{c}")
            for partner in db.all("couples/partners", couple_id=cid):
                link = links.issue(db, counselor, cid, partner["id"], "csi4", 14)
                issued.append((partner["name"], link.token, link.link_id))
        return issued
    finally:
        db.close()


def option(group, k: int):
    """The k-th answer of a radio group (the group's own question label is a <label> too)."""
    return group.locator("label:has(input[type=radio])").nth(k)


async def _idle(page: Page) -> None:
    await page.wait_for_selector(IDLE)
    await page.get_by_test_id("stStatusWidget").wait_for(state="hidden")


async def _rerun(page: Page, action) -> None:
    """Do `action` and wait until the script run it starts has finished (the save is in):
    tests.e2e.conftest.rerun on the async API, with the same run counter (RUN_COUNTER)."""
    before = await page.evaluate("window.__tandemRuns")
    await action()
    await page.wait_for_function(f"window.__tandemRuns > {before}")
    await _idle(page)


async def _partner(browser, base: str, i: int, name: str, token: str, ready) -> dict:
    """One partner's whole visit; what they saw. A failure names the step it happened in and
    leaves a screenshot (concurrent-partners-<i>-failed.png)."""
    ctx = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(STEP_TIMEOUT_MS * 2)  # six sessions share two cores
    await ctx.add_init_script(RUN_COUNTER)
    page = await ctx.new_page()
    step = "open the link"
    try:
        await page.goto(f"{base}/Questionnaire?t={token}")
        await page.get_by_text(f"Hello {name}.").wait_for()
        await _idle(page)
        step = "wait for the others"
        await ready.wait()  # everyone has their form open: from here on, all at once
        step = "start"
        await _rerun(page, page.get_by_role("button", name="Start").click)
        groups = page.locator('[data-testid="stRadio"]')
        await groups.nth(len(ITEMS) - 1).wait_for()
        picks = answers_of(i)
        # A first thought on the first item, changed afterwards: the stored answer is the last.
        step = "first thought"
        await _rerun(page, option(groups.nth(0), 5 - picks[0]).click)
        for n, pick in enumerate(picks):
            step = f"answer {n}"
            await _rerun(page, option(groups.nth(n), pick).click)
        checked = [await groups.nth(n).locator("input:checked").count() for n in range(len(ITEMS))]
        step = "send"
        await _rerun(page, page.get_by_role("button", name="Send my answers").click)
        await page.get_by_text(THANKS).wait_for()
        body = await page.locator("body").inner_text()
        seen = {
            "checked": checked,
            "thanked": THANKS in body,
            "exceptions": await page.locator('[data-testid="stException"]').count(),
            "errors": await page.locator('[data-testid="stAlertContentError"]').count(),
        }
        if i == 0:
            await page.screenshot(path=str(ARTIFACTS / "concurrent-partners-0-sent.png"))
        return seen
    except Exception as e:
        await ready.abort()  # nobody waits for a partner who will never come
        await page.screenshot(path=str(ARTIFACTS / f"concurrent-partners-{i}-failed.png"))
        raise AssertionError(f"partner {i} ({name}), step {step!r}: {e}") from e
    finally:
        await ctx.close()


async def _all_partners(base: str, issued: list[tuple[str, str, int]]) -> list:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=TEST_CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ready = asyncio.Barrier(len(issued))
            visits = [
                asyncio.wait_for(_partner(browser, base, i, name, token, ready), PARTNER_TIMEOUT_S)
                for i, (name, token, _) in enumerate(issued)
            ]
            return await asyncio.gather(*visits, return_exceptions=True)
        finally:
            await browser.close()


def test_partners_answer_and_send_at_the_same_time(tmp_path):
    db_path = tmp_path / "tandem.duckdb"
    issued = _prepare(db_path)
    results: list = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_server(db_path, ARTIFACTS / "test_concurrent_partners.server.log") as base:
        # Playwright's async API gets a thread (and event loop) of its own.
        worker = threading.Thread(
            target=lambda: results.extend(asyncio.run(_all_partners(base, issued)))
        )
        worker.start()
        worker.join(timeout=PARTNER_TIMEOUT_S + 60)
        assert not worker.is_alive(), "the browsers never finished"

    failures = [(i, r) for i, r in enumerate(results) if isinstance(r, BaseException)]
    assert not failures, failures
    assert len(results) == PARTNERS
    for seen in results:
        assert seen == {
            "checked": [1] * len(ITEMS),
            "thanked": True,
            "exceptions": 0,
            "errors": 0,
        }

    # The server has stopped (one process per DuckDB file): read what it stored.
    db = Database(db_path)
    try:
        with db.cursor() as cur:
            stored = cur.execute("SELECT link_id, item_id, value_json FROM answers").fetchall()
            submitted = dict(
                cur.execute(
                    "SELECT id, submitted_at IS NOT NULL AND started_at IS NOT NULL FROM links"
                ).fetchall()
            )
    finally:
        db.close()
    assert len(stored) == PARTNERS * len(ITEMS)
    assert set(Counter((link, item) for link, item, _ in stored).values()) == {1}
    for i, (_, _, link_id) in enumerate(issued):
        expected = {
            item: CSI4.item(item).options[pick].value
            for item, pick in zip(ITEMS, answers_of(i), strict=True)
        }
        mine = {item: json.loads(value) for link, item, value in stored if link == link_id}
        assert mine == expected, (i, mine, expected)
        assert submitted[link_id] is True
