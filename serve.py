"""Production entry point: Tandem (app.py and pages/) behind security headers.

Start it with `streamlit run serve.py` (./run demo and ./run serve do): Streamlit finds the
st.App below and serves app.py with the middleware in front of every response.
"""

import contextlib
import gc
import logging
import threading
import time
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from core import frontend
from core.headers import SecurityHeaders

log = logging.getLogger("tandem.serve")


# The export modules wait this long after the start: the first page should not share the
# interpreter with their imports.
EXPORTS_AFTER_S = 3.0


def _warm_up() -> None:
    """Import what pages need while the server waits for browsers.

    Without it the first visitor's page spends ~1 s importing pandas, pyarrow (DuckDB's Python
    client loads them on its first query with parameters) and the caseload's modules; and the
    process's first Sessions page more on fpdf2 and the fonts' character tables. (Altair, ~0.5 s
    of that until issue 6, is no longer loaded by the server at all: every chart is a plain
    Vega-Lite dict.) Nothing here touches the database or any session; a
    failure only means a page imports them itself.
    Not the sign-in library: imported from this thread, its cookie component no longer finished
    the sign-in under serve.py (tests/e2e/test_security_headers.py).
    """
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401

        import core.alerts  # noqa: F401
        import core.couples  # noqa: F401

        _freeze()
        time.sleep(EXPORTS_AFTER_S)
        import core.exports  # noqa: F401  (core.decisions, core.roadmap)
        from core import pdf  # fpdf2

        with contextlib.suppress(pdf.FontsMissing):  # the Sessions page says so itself
            pdf.read_fonts()
        _freeze()
    except Exception:  # pragma: no cover - the pages import them themselves then
        log.exception("Warm-up imports failed; the pages will import what they need")


def _freeze() -> None:
    """Streamlit collects garbage after every script run; with pandas and pyarrow loaded a full
    collection held each run's last messages ~100 ms. Objects alive now (modules, mostly) are
    moved out of the collector's sight, so those collections stay short."""
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def lifespan(_app):
    """Once the server is up (its health check answers), warm up in the background. Pages from
    now on have the page script (the middleware puts it in): ui/sidebar.py draws its links for
    it."""
    frontend.serve_page_script()
    threading.Thread(target=_warm_up, name="tandem-warm-up", daemon=True).start()
    yield


# The base path (server.baseUrlPath, e.g. behind a proxy at /tandem/) goes into the hint that
# tells the browser where the server is (core/headers.py).
base_path = st.get_option("server.baseUrlPath") or ""
app = st.App(
    "app.py", middleware=[Middleware(SecurityHeaders, base_path=base_path)], lifespan=lifespan
)
