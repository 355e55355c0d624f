"""HTTP security headers for every response Tandem serves (an ASGI middleware, no streamlit).

Partners' link tokens live in URLs, so no page may leak its address to another site
(Referrer-Policy); no other site may frame Tandem (clickjacking); browsers must not guess
content types. The Content-Security-Policy is as strict as Streamlit's front end allows:
its bundle, Vega charts and components need inline styles, eval and same-origin frames.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Streamlit's bundle and Vega-Lite (charts) compile code at run time.
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
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
