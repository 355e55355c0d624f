"""Full loads of the caseload on two Tandem servers and of an empty page, taken in turn.

A one-set benchmark run scatters by about ±0.15x on this machine (BENCHMARKS.md); taking one
full load of each server in turn, many times, compares two builds under the same minutes. It
prints each one's median, its ratio to the empty page and the middle half of its samples.

Start the three servers yourself, e.g. (the two Tandem ones on copies of the practice, one of
them from a clone holding the other build; the empty page as scripts/benchmark.py writes it):

    .venv/bin/python -m streamlit run serve.py --server.port 8601 --server.headless true \
        --browser.gatherUsageStats false --server.fileWatcherType none   # TANDEM_DB=copy 1
    (in the clone) the same on port 8602                                  # TANDEM_DB=copy 2
    (in a folder with app.py and pages/2_Second.py) streamlit run app.py --server.port 8605

then: .venv/bin/python scripts/interleaved_loads.py http://localhost:8605 \
          http://localhost:8601 http://localhost:8602 --samples 15

A load is timed as scripts/benchmark.py times a full load (its functions, on the page's own
clock from navigation): done when the caseload's heading and its table's first row are drawn
and the app is idle (the empty page: its heading). Each load is a new tab of a signed-in browser
context. Not a test: it asserts nothing. (The figures in BENCHMARKS.md were taken at ebcec71,
when this script timed from Playwright's navigation call to its own check of the same rule.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

# The benchmark's own page clock and "done" rule (its run counter, Sign, timed_goto), so that
# these loads are timed as its full loads are.
sys.path.insert(0, str(ROOT / "scripts"))
import benchmark  # noqa: E402

from tests.e2e.conftest import RUN_COUNTER, sign_in, wait_idle  # noqa: E402

STEP_TIMEOUT_S = 60


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("empty", help="the empty page's base URL")
    p.add_argument("a", help="one Tandem server's base URL")
    p.add_argument("b", help="the other Tandem server's base URL")
    p.add_argument("--samples", type=int, default=15, help="loads of each, after one unrecorded")
    p.add_argument("--user", default="c01", help="a counselor's username (default c01)")
    p.add_argument("--password", default="synthetic-password")
    args = p.parse_args()
    benchmark.ELSEWHERE = benchmark.elsewhere(args.empty)  # each new tab starts elsewhere
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=benchmark.CHROMIUM, args=benchmark.CHROMIUM_ARGS
        )
        contexts = {}
        for name, base in (("empty", args.empty), ("A", args.a), ("B", args.b)):
            context = browser.new_context(viewport=benchmark.VIEWPORT)
            context._bench_timeout_s = STEP_TIMEOUT_S  # read by benchmark.page_timeout
            context.add_init_script(benchmark.RUN_COUNTER)
            context.add_init_script(RUN_COUNTER)  # the browser tests' sign_in counts runs too
            if name != "empty":
                page = context.new_page()
                sign_in(page, base, args.user, args.password)
                wait_idle(page)
                page.close()
            contexts[name] = (context, base)
        samples: dict[str, list[float]] = {name: [] for name in contexts}
        for i in range(args.samples + 1):
            for name, (context, base) in contexts.items():
                page = context.new_page()
                sign = benchmark.heading(page, "Empty") if name == "empty" else None
                timing = benchmark.timed_goto(page, base, sign or benchmark.caseload(page))
                time.sleep(0.6)
                page.close()
                if i:
                    samples[name].append(timing.total * 1000)
        browser.close()
    empty = statistics.median(samples["empty"])
    for name, values in samples.items():
        median = statistics.median(values)
        low, _, high = statistics.quantiles(values, n=4)
        print(
            f"{name:6s} {median:7.0f} ms  {median / empty:.2f}x  middle half {low:.0f}-{high:.0f}"
        )


if __name__ == "__main__":
    main()
