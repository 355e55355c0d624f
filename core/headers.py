"""HTTP security headers for every response Tandem serves (an ASGI middleware, no streamlit).

Partners' link tokens live in URLs, so no page may leak its address to another site
(Referrer-Policy); no other site may frame Tandem (clickjacking); browsers must not guess
content types. The Content-Security-Policy is as strict as Streamlit's front end allows:
its bundle, Vega charts and components need inline styles, eval and same-origin frames, but
no inline script other than the few shipped in the pinned packages and Tandem's own page script
(core/frontend.py, which this middleware puts into Streamlit's index.html), all allowed by
their hashes (tests/e2e/test_security_headers.py checks in Chromium that no violation happens).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

from core.frontend import page_script, url_root

# The HTML pages with inline <script> blocks that Tandem's browser loads: Streamlit's own
# index.html (`window.prerenderReady = false`) and the front ends of extra-streamlit-components
# (streamlit-authenticator's remember-me cookie manager; webpack's inline runtime). Located in
# the installed packages, never imported (core does not import streamlit).
INLINE_SCRIPT_PAGES = (
    ("streamlit", "static/index.html"),
    ("extra_streamlit_components", "*/frontend/build/index.html"),
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _hash_source(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_script_hashes() -> list[str]:
    """CSP hash sources ('sha256-…') for every inline script in INLINE_SCRIPT_PAGES, so
    script-src can name exactly those scripts instead of allowing any inline script."""
    found: list[str] = []
    for package, pattern in INLINE_SCRIPT_PAGES:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for page in sorted(Path(folder).glob(pattern)):
                # read_text turns CRLF into LF, as the browser's HTML parser does before hashing.
                for body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
                    source = _hash_source(body)
                    if source not in found:
                        found.append(source)
    return found


def content_security_policy(base_path: str = "") -> str:
    """The policy, with the hash of Tandem's page script for this `base_path` (core/frontend.py)."""
    hashes = [*inline_script_hashes(), _hash_source(page_script(base_path))]
    return "; ".join(
        [
            "default-src 'self'",
            # Inline scripts only by hash: an injected <script> or event handler does not run.
            # 'unsafe-eval': Streamlit's bundle compiles WebAssembly (protobuf). No page used JS
            # eval in Chromium, but 'wasm-unsafe-eval' alone is unknown to Safari before 16,
            # and Playwright's waits in the browser tests evaluate strings in the page.
            " ".join(["script-src 'self' 'unsafe-eval'", *hashes]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' data: blob:",
            "connect-src 'self' ws: wss:",
            # Components (e.g. the remember-me cookie writer) run in same-origin frames.
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            # Streamlit shows components in frames of its own origin, so 'self' and no one else.
            "frame-ancestors 'self'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


def security_headers(base_path: str = "") -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"x-content-type-options", b"nosniff"),
        (b"content-security-policy", content_security_policy(base_path).encode()),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    )


# The policy and headers of a server at the root (no server.baseUrlPath), as tests expect.
CONTENT_SECURITY_POLICY = content_security_policy()
SECURITY_HEADERS = security_headers()
# Streamlit's own index.html (served for `/` and every page's address) says this; no other
# HTML Tandem serves (the components' frames) does.
STREAMLIT_INDEX_MARK = b"window.prerenderReady"


class SecurityHeaders:
    """ASGI middleware: adds the security headers to every HTTP response (WebSockets untouched)
    and puts Tandem's page script (core/frontend.py) into Streamlit's index.html, first.
    """

    def __init__(self, app, base_path: str = ""):
        self.app = app
        self.headers = security_headers(base_path)
        self.script = f"<script>{page_script(base_path)}</script>".encode()
        self.media = url_root(base_path) + "media/"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _opened_from_elsewhere(scope, self.media):
            await self._not_found(send)
            return
        if scope.get("method") == "GET" and _navigation(scope):
            # A page's HTML (~4 KB) uncompressed, so that the script can go in (not worth gzip).
            headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
            scope = {**scope, "headers": headers}
        held: dict | None = None  # an HTML response's start, sent once its body is known
        chunks: list[bytes] = []

        async def send_with_headers(message):
            nonlocal held
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                names = {k.lower() for k, _ in headers}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message = {**message, "headers": [*headers, *extra]}
                if scope.get("method") == "GET" and _plain_html(message):
                    held = message
                    return
            elif message["type"] == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = self._with_script(b"".join(chunks))
                headers = [
                    (k, str(len(body)).encode() if k.lower() == b"content-length" else v)
                    for k, v in held["headers"]
                ]
                await send({**held, "headers": headers})
                held = None
                message = {"type": "http.response.body", "body": body, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _not_found(self, send) -> None:
        body = b"Not found"
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        headers += [(b"content-length", str(len(body)).encode()), *self.headers]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def _with_script(self, body: bytes) -> bytes:
        """Streamlit's index.html with Tandem's script first; any other body as it is."""
        at = body.find(b"<script") if STREAMLIT_INDEX_MARK in body else -1
        return body if at < 0 else body[:at] + self.script + body[at:]


def _opened_from_elsewhere(scope: dict, media: str) -> bool:
    """A download's file (Streamlit's /media/, where an export waits a few minutes for its
    click) asked for by a browser from anywhere but a page of this site: its address typed or
    pasted (Sec-Fetch-Site: none), or a link on another site. A download button's own click
    comes from Tandem's page (same-origin). The address cannot be guessed, but it stays in the
    browser's download list, and the file (a session summary, a couple's record) opened there
    for anyone with it, signed in or not (walkthrough). A client that sends no such header (an
    old browser, a script) is let through: the rule cannot tell where it came from."""
    if not scope.get("path", "").startswith(media):
        return False
    site = dict(scope.get("headers", [])).get(b"sec-fetch-site")
    return site is not None and site != b"same-origin"


def _navigation(scope: dict) -> bool:
    """A browser asking for a page (its Accept header names HTML), not a script or an image."""
    accept = dict(scope.get("headers", [])).get(b"accept", b"")
    return b"text/html" in accept


def _plain_html(start: dict) -> bool:
    """A 200 HTML response that is not compressed (its body can be read and changed)."""
    headers = {k.lower(): v for k, v in start.get("headers", [])}
    return (
        start.get("status") == 200
        and headers.get(b"content-type", b"").startswith(b"text/html")
        and b"content-encoding" not in headers
    )
