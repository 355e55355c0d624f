"""HTTP security headers for every response Tandem serves (an ASGI middleware, no streamlit).

Partners' link tokens live in URLs, so no page may leak its address to another site
(Referrer-Policy); no other site may frame Tandem (clickjacking); browsers must not guess
content types. The Content-Security-Policy is as strict as Streamlit's front end allows:
its bundle, Vega charts and components need inline styles, eval and same-origin frames, but
no inline script other than the few shipped in the pinned packages, allowed by their hashes
(tests/e2e/test_security_headers.py checks in Chromium that no violation happens).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

# The HTML pages with inline <script> blocks that Tandem's browser loads: Streamlit's own
# index.html (`window.prerenderReady = false`) and the front ends of extra-streamlit-components
# (streamlit-authenticator's remember-me cookie manager; webpack's inline runtime). Located in
# the installed packages, never imported (core does not import streamlit).
INLINE_SCRIPT_PAGES = (
    ("streamlit", "static/index.html"),
    ("extra_streamlit_components", "*/frontend/build/index.html"),
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


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
                    digest = hashlib.sha256(body.encode("utf-8")).digest()
                    source = f"'sha256-{base64.b64encode(digest).decode()}'"
                    if source not in found:
                        found.append(source)
    return found


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Inline scripts only by hash: an injected <script> or event handler does not run.
        # 'unsafe-eval': Streamlit's bundle compiles WebAssembly (protobuf). No page used JS
        # eval in Chromium, but 'wasm-unsafe-eval' alone is unknown to Safari before 16, and
        # Playwright's waits in the browser tests evaluate strings in the page.
        " ".join(["script-src 'self' 'unsafe-eval'", *inline_script_hashes()]),
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

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware: adds SECURITY_HEADERS to every HTTP response (WebSockets untouched)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
