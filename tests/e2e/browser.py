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
# The app is idle: its script run has finished and the websocket is up.
IDLE = (
    '[data-testid="stApp"][data-test-script-state="notRunning"]'
    '[data-test-connection-state="CONNECTED"]'
)

# The caseload is one st.dataframe (app.py): rows of ROW_PX, drawn on a canvas, with a hidden
# accessible copy of the table that carries each row's text and its aria-rowindex.
CASELOAD_ROW_PX = 35
CASELOAD_OPEN_X = 35  # the middle of the pinned 70 px "Open" column


def caseload_labels(page) -> list[str]:
    """The couples' labels on the caseload's current screen, top to bottom."""
    rows = page.get_by_test_id("stDataFrame").first.locator('[role="row"][aria-rowindex]')
    cells = [r.locator('[role="gridcell"]').all_inner_texts() for r in rows.all()]
    return [c[1] for c in cells if len(c) > 1]


def caseload_open_point(page, label: str) -> tuple[float, float]:
    """Where to click to open the couple named `label` from the caseload table (the canvas
    has no element per button, so the click goes to the row's place on screen)."""
    table = page.get_by_test_id("stDataFrame").first
    labels = caseload_labels(page)
    matches = [i for i, text in enumerate(labels) if text == label]
    if len(matches) != 1:
        raise AssertionError(f"{label!r} is on the caseload {len(matches)} times: {labels}")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None, "the caseload table is not on screen"
    return box["x"] + CASELOAD_OPEN_X, box["y"] + CASELOAD_ROW_PX * (matches[0] + 1.5)
