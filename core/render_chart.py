"""Chart pictures for exports, drawn in a short-lived child process (issue 6).

vl-convert's JavaScript engine stays in a process once loaded (~115 MB of the server's memory
after the first session summary, BENCHMARKS.md). Here the server never imports it: a child
Python (`python -I core/render_chart.py`) imports vl_convert, reads Vega-Lite specs as JSON on
stdin, writes one PNG per spec to stdout and exits, so its memory goes back when it ends.

The child is started before the caller builds its charts (`Renderer()`), so its engine warms up
on the other core while the summary's queries run; every chart of one export is drawn by the
same child. A child that fails, or runs past the time limit, becomes a `ChartsNotDrawn` with a
message a counselor can read; the details go to the server log.

This file runs on its own in the child, with no access to the rest of `core`: it imports only
the standard library at module level.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

try:  # in the child this file runs alone, without the `core` package on its path
    from core.errors import TandemError
except ImportError:  # pragma: no cover - the child never raises it
    TandemError = Exception  # type: ignore[assignment,misc]

LOG = logging.getLogger(__name__)

# A summary's few charts take ~1 s in a fresh child on a quiet machine (~0.6 s to start the
# engine, ~0.2 s a chart); 20 s leaves room for a loaded machine yet ends a stuck child long
# before a counselor gives up on the download.
TIME_LIMIT_SECONDS = 20.0
# Children drawing at once; each holds 90-125 MB while it lives (measured: maxrss of a child).
# A third export waits for a turn (within its time limit) instead of adding another child.
MAX_CHILDREN = 2
# The PNG file signature: what every picture the child returns must start with.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Only what vl-convert needs from the environment: never the app's secrets (TANDEM_DB_KEY,
# cookie key) nor PYTHON* settings (-I ignores those anyway).
CHILD_ENVIRONMENT = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "FONTCONFIG_PATH",
)
# A tiny chart with text, drawn as PNG as soon as the child starts: the engine, its fonts and
# the rasteriser (most of a fresh child's time) then start while the caller builds its charts.
WARM_UP_SPEC = {
    "mark": "text",
    "data": {"values": [{"t": "Aa"}]},
    "encoding": {"text": {"field": "t"}},
}

CHILD = Path(__file__).resolve()
_turns = threading.BoundedSemaphore(MAX_CHILDREN)


class ChartsNotDrawn(TandemError):
    """The charts could not be drawn as pictures; the message is safe to show."""

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(
            "The charts could not be drawn just now, so this file is without them. "
            "Try the download again in a minute."
        )


class Renderer:
    """One child process that draws a batch of Vega-Lite specs as PNG, started on creation.

    `submit` hands it the specs and returns at once, `collect` waits for the pictures (or
    `pngs` does both). Use it as a context manager: leaving it ends a child still running.
    """

    def __init__(self, scale: float = 2, time_limit: float = TIME_LIMIT_SECONDS):
        self.scale = scale
        self.time_limit = time_limit
        self._proc: subprocess.Popen | None = None
        self._problem: str | None = None
        self._count: int | None = None  # specs handed over, once submitted
        self._deadline = time.monotonic() + time_limit
        self._has_turn = _turns.acquire(timeout=time_limit)
        if not self._has_turn:
            self._problem = f"no turn to draw within {time_limit:g} s ({MAX_CHILDREN} busy)"
            return
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", str(CHILD)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={k: os.environ[k] for k in CHILD_ENVIRONMENT if k in os.environ},
            )
        except OSError as e:
            self._problem = f"the chart process did not start: {e}"
            self._release()

    def submit(self, specs: Sequence[dict[str, Any]]) -> None:
        """Hand the specs to the child and return at once; a problem is raised by `collect`."""
        if self._proc is None or self._count is not None:
            self._problem = self._problem or "this renderer was already used"
            return
        try:
            payload = json.dumps({"scale": self.scale, "specs": list(specs)}).encode("utf-8")
        except (TypeError, ValueError) as e:
            self._problem = f"a chart is not plain JSON: {e}"
            self.close()
            return
        self._count = len(specs)
        self._deadline = time.monotonic() + self.time_limit
        # Written from a thread: the child reads only once its engine is warm, and communicate()
        # in `collect` must not touch a pipe another thread writes.
        stdin, self._proc.stdin = self._proc.stdin, None
        threading.Thread(target=_feed, args=(stdin, payload), daemon=True).start()

    def collect(self) -> list[bytes]:
        """The submitted specs as PNG bytes, in order; raises ChartsNotDrawn."""
        if self._proc is None or self._count is None:
            self.close()
            raise ChartsNotDrawn(self._problem or "no charts were handed to this renderer")
        proc, self._proc = self._proc, None
        started = time.perf_counter()
        try:
            out, err = proc.communicate(timeout=max(0.0, self._deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise ChartsNotDrawn(
                f"the chart process ran past its time limit of {self.time_limit:g} s"
            ) from None
        finally:
            self._release()
        if proc.returncode != 0:
            last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise ChartsNotDrawn(f"the chart process failed ({proc.returncode}): {last[0]}")
        try:
            pictures = [base64.b64decode(p) for p in json.loads(out)["pngs"]]
        except (ValueError, KeyError, TypeError) as e:
            raise ChartsNotDrawn(f"the chart process answered something unreadable: {e}") from e
        if len(pictures) != self._count or not all(p.startswith(PNG_SIGNATURE) for p in pictures):
            raise ChartsNotDrawn("the chart process answered something other than the pictures")
        LOG.debug("%d charts collected after %.2f s", len(pictures), time.perf_counter() - started)
        return pictures

    def pngs(self, specs: Sequence[dict[str, Any]]) -> list[bytes]:
        """Each spec as PNG bytes, in order; raises ChartsNotDrawn (a renderer is used once)."""
        self.submit(specs)
        return self.collect()

    def close(self) -> None:
        """End the child if it still runs (never asked, or abandoned), and free its turn."""
        if self._proc is not None:
            proc, self._proc = self._proc, None
            proc.kill()
            proc.communicate()
        self._release()

    def _release(self) -> None:
        if self._has_turn:
            self._has_turn = False
            _turns.release()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _feed(stdin: Any, payload: bytes) -> None:
    """Write the request to the child and close its stdin (from a thread)."""
    try:
        with stdin:
            stdin.write(payload)
    except OSError:  # the child died or was ended: its exit code tells `collect` why
        pass


def pngs(specs: Sequence[dict[str, Any]], scale: float = 2) -> list[bytes]:
    """Vega-Lite specs as PNG bytes, all drawn by one fresh child; raises ChartsNotDrawn."""
    with Renderer(scale) as renderer:
        return renderer.pngs(specs)


# -- the child ---------------------------------------------------------------------------------
# A quoted stretch of an engine's message: it may quote a value of the chart's data, and the
# message goes to the server log, which must hold no client data (a name, a note).
_QUOTED = re.compile(r"([\"'`«“‘]).*?([\"'`»”’])")


def redacted(message: str) -> str:
    """The chart engine's message for the server log: quoted parts left out, one short line."""
    return _QUOTED.sub("'…'", message.replace("\n", " "))[:300]


def main() -> int:
    """The child: warm the engine, then draw every spec read from stdin as PNG to stdout."""
    try:
        import vl_convert

        vl_convert.vegalite_to_png(WARM_UP_SPEC)
        request = json.load(sys.stdin.buffer)
        scale = request["scale"]
        pictures = [vl_convert.vegalite_to_png(spec, scale=scale) for spec in request["specs"]]
    except Exception as e:  # whatever went wrong (import, engine, a spec): say it and fail
        print(f"{type(e).__name__}: {redacted(str(e))}", file=sys.stderr)
        return 1
    encoded = [base64.b64encode(p).decode("ascii") for p in pictures]
    sys.stdout.buffer.write(json.dumps({"pngs": encoded}).encode("ascii"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
