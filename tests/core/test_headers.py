"""The security-headers middleware adds every header to HTTP responses and leaves WebSockets."""

import asyncio

from core.headers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, SecurityHeaders


def run(scope, inner_headers=()):
    sent = []

    async def inner(scope, receive, send):
        if scope["type"] == "http":
            await send(
                {"type": "http.response.start", "status": 200, "headers": list(inner_headers)}
            )
            await send({"type": "http.response.body", "body": b"ok"})
        else:
            await send({"type": "websocket.accept"})

    async def send(message):
        sent.append(message)

    async def receive():
        return {}

    asyncio.run(SecurityHeaders(inner)(scope, receive, send))
    return sent


def test_every_http_response_carries_the_security_headers():
    start = run({"type": "http"})[0]
    headers = dict(start["headers"])
    assert headers[b"referrer-policy"] == b"no-referrer"
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"x-frame-options"] == b"SAMEORIGIN"
    assert b"frame-ancestors 'self'" in headers[b"content-security-policy"]
    assert len(start["headers"]) == len(SECURITY_HEADERS)


def test_a_header_the_app_already_set_is_not_duplicated():
    start = run({"type": "http"}, [(b"x-frame-options", b"DENY")])[0]
    names = [k for k, _ in start["headers"]]
    assert names.count(b"x-frame-options") == 1


def test_websocket_messages_pass_through_untouched():
    assert run({"type": "websocket"}) == [{"type": "websocket.accept"}]


def test_csp_forbids_other_origins_for_frames_objects_and_forms():
    for rule in (
        "default-src 'self'",
        "object-src 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert rule in CONTENT_SECURITY_POLICY
