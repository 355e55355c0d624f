"""The security-headers middleware adds every header to HTTP responses and leaves WebSockets;
it puts Tandem's page script (core/frontend.py) into Streamlit's index.html and nowhere else."""

import asyncio
import base64
import functools
import hashlib

from core.frontend import page_script
from core.headers import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    SecurityHeaders,
    content_security_policy,
)


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


INDEX = (
    b"<!DOCTYPE html><html><head><title>Streamlit</title>\n"
    b"<script>\n      window.prerenderReady = false\n    </script>\n"
    b'<script type="module" src="./static/js/index.js"></script></head><body></body></html>'
)


def serve(body_chunks, *, content_type=b"text/html", method="GET", status=200, extra=(), mw=None):
    """Messages the middleware sends for one response whose body comes in `body_chunks`."""
    sent = []

    async def inner(scope, receive, send):
        length = sum(len(c) for c in body_chunks)
        headers = [(b"content-type", content_type), (b"content-length", str(length).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers + [*extra]})
        for n, chunk in enumerate(body_chunks):
            more = n < len(body_chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    async def send(message):
        sent.append(message)

    async def receive():
        return {}

    app = (mw or SecurityHeaders)(inner)
    asyncio.run(app({"type": "http", "method": method}, receive, send))
    return sent


def body_of(sent) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_streamlit_index_gets_tandems_script_first_with_its_length_and_csp_hash():
    sent = serve([INDEX[:50], INDEX[50:]])
    body = body_of(sent)
    script = page_script()
    assert script.startswith('window.__streamlit={BACKEND_BASE_URL:location.origin+"/"};')
    assert body == INDEX.replace(b"<script>", f"<script>{script}</script><script>".encode(), 1)
    assert body.index(script.encode()) < body.index(b'type="module"')  # before Streamlit's bundle
    start = sent[0]
    assert start["type"] == "http.response.start"
    assert dict(start["headers"])[b"content-length"] == str(len(body)).encode()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]


def test_other_responses_are_passed_on_unchanged():
    component = b"<html><head><script>var webpack = 1</script></head></html>"
    for chunks, kwargs in (
        ([component], {}),  # a component's frame: not Streamlit's index
        ([INDEX], {"content_type": b"application/javascript"}),
        ([INDEX], {"extra": [(b"content-encoding", b"gzip")]}),
        ([b""], {"status": 304}),
        ([INDEX], {"method": "HEAD"}),
    ):
        sent = serve(chunks, **kwargs)
        assert body_of(sent) == b"".join(chunks), kwargs
        assert dict(sent[0]["headers"])[b"content-length"] == str(len(chunks[0])).encode()


def test_a_base_url_path_goes_into_the_script_and_its_hash():
    mw = functools.partial(SecurityHeaders, base_path="/tandem/")
    sent = serve([INDEX], mw=mw)
    script = page_script("/tandem/")
    assert script.startswith('window.__streamlit={BACKEND_BASE_URL:location.origin+"/tandem/"};')
    assert 'const root=location.origin+"/tandem/"' in script
    assert page_script("tandem") == page_script("/tandem") == script
    assert script.encode() in body_of(sent)
    csp = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert csp == content_security_policy("/tandem/") != CONTENT_SECURITY_POLICY
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    # Nothing in the path can close the script element.
    assert "</" not in page_script("/a</script><script>alert(1)/")


def test_a_page_request_is_answered_uncompressed_so_the_script_can_go_in():
    """Browsers ask for pages with Accept-Encoding: gzip; Streamlit would compress a page's
    HTML (not its root), which the script cannot be put into. Assets stay compressible."""
    seen = []

    async def inner(scope, receive, send):
        seen.append(dict(scope["headers"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        pass

    async def receive():
        return {}

    gzip = (b"accept-encoding", b"gzip, deflate, br")
    for accept in (b"text/html,application/xhtml+xml,*/*;q=0.8", b"*/*"):
        scope = {"type": "http", "method": "GET", "headers": [(b"accept", accept), gzip]}
        asyncio.run(SecurityHeaders(inner)(scope, receive, send))
    page, asset = seen
    assert b"accept-encoding" not in page
    assert asset[b"accept-encoding"] == b"gzip, deflate, br"


def test_a_downloads_file_opens_only_from_tandems_own_page():
    """Streamlit keeps an export under /media/ for a few minutes, for its download button. Its
    address, typed or pasted (Sec-Fetch-Site: none) or linked from another site, is refused;
    the button's own click (same-origin) and clients that do not say (no header) get the file."""

    def status(path, site=None, app=SecurityHeaders):
        headers = [] if site is None else [(b"sec-fetch-site", site)]
        sent = []

        async def inner(scope, receive, send):
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"the summary"})

        async def send(message):
            sent.append(message)

        async def receive():
            return {}

        scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
        asyncio.run(app(inner)(scope, receive, send))
        start, body = sent[0], sent[-1]["body"]
        assert dict(start["headers"]).get(b"x-content-type-options") == b"nosniff"
        return start["status"], body

    file = "/media/3f1c2a9e.pdf"
    for site in (b"none", b"cross-site", b"same-site"):
        assert status(file, site) == (404, b"Not found")
    assert status(file, b"same-origin") == (200, b"the summary")
    assert status(file) == (200, b"the summary")
    assert status("/", b"none") == (200, b"the summary")  # a page's address opens as ever
    under = functools.partial(SecurityHeaders, base_path="tandem")
    assert status("/tandem/media/3f1c2a9e.pdf", b"none", under) == (404, b"Not found")
    assert status(file, b"none", under) == (200, b"the summary")  # not the app's media
