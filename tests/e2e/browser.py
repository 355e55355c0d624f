"""How Tandem drives a browser, shared by the browser tests and scripts/benchmark.py.

Debian's Chromium, never a downloaded one; no background traffic, no first-run screens.
"""

from pathlib import Path

# The full browser, as a counselor's: scripts/benchmark.py measures the pages with it.
CHROMIUM = "/usr/bin/chromium"
# The browser tests drive Debian's headless shell when it is installed (.ci/run installs it):
# the same engine without the full browser's windowing, and a quarter to a third less CPU for
# the same sign-ins and pages on this 2-core machine, which the browser tests keep busy.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
TEST_CHROMIUM = HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else CHROMIUM
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
# A tablet held upright (an iPad Air's 820 px): with touch, the counselor's other device.
TABLET = {"width": 820, "height": 1180}
# The app is idle: its script run has finished and the websocket is up.
IDLE = (
    '[data-testid="stApp"][data-test-script-state="notRunning"]'
    '[data-test-connection-state="CONNECTED"]'
)

# The caseload is one HTML table (ui/caseload.py): a row per couple, the couple's name in the
# row's header cell, a link that opens the couple.
CASELOAD_ROWS = ".tandem-caseload tbody tr"


def caseload_labels(page) -> list[str]:
    """The couples' labels on the caseload's current screen, top to bottom."""
    return [t.strip() for t in page.locator(f"{CASELOAD_ROWS} th a").all_inner_texts()]


def caseload_link(page, label: str):
    """The caseload's link to the couple named `label` (exactly one on the screen)."""
    links = page.locator(CASELOAD_ROWS).get_by_role("link", name=label, exact=True)
    labels = caseload_labels(page)
    if labels.count(label) != 1:
        raise AssertionError(f"{label!r} is on the caseload {labels.count(label)} times: {labels}")
    return links
