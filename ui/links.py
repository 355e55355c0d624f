"""Showing a new partner link to the counselor: the URL, a QR code, a message to copy, and
buttons that open the counselor's own e-mail or messages app with that message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import segno
import streamlit as st

from core.links import Issued, mail_url, text_url
from ui.app import App
from ui.widgets import plain, when

LINK_PAGE = "Questionnaire"  # pages/5_Questionnaire.py is served at /Questionnaire


def base_url(app: App) -> str:
    """Where partners reach Tandem: the configured public address, else this browser's."""
    if app.settings.public_url:
        return app.settings.public_url
    here = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{here.scheme}://{here.netloc}"


def link_url(app: App, token: str) -> str:
    """The partner's private address."""
    return f"{base_url(app)}/{LINK_PAGE}?t={token}"


def qr_image(url: str) -> str:
    """A QR code of the link, to scan from the counselor's screen in session, as a data: URI.

    Inline, not bytes: st.image keeps bytes in Streamlit's media store, which serves them to
    anyone with the picture's address, signed in or not, for a few minutes. A data: URI goes
    out in the page's own message and is stored nowhere."""
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def message(app: App, issued: Issued, url: str, *, shared: bool = False) -> str:
    """A ready-to-send note for the partner (text, e-mail or chat).

    `shared` is for forms whose answers are compared with the partner in session (a decision's
    opportunity matrix); every other form is private from the other partner.
    """
    privacy = (
        "It is your own link; your numbers will be put side by side with your partner's in "
        "session. "
        if shared
        else "It is for you only: your partner gets their own link and never sees your answers. "
    )
    return (
        f"Hello {issued.partner_name},\n\n"
        f"Here is your private link from {app.settings.practice_name}, "
        f"for “{issued.instrument_title}”:\n{url}\n\n"
        + privacy
        + "Your answers are saved as you go, so you can stop and come back. "
        f"The link works until {when(issued.expires_at)}.\n"
    )


QR_WIDTH = 220  # px: a phone's camera reads it from a screen at arm's length
ISSUED_TEXT = "issued-text-"  # the key of a new link's texts beside its code, + the link's id


def show_all_issued(app: App, issued: Sequence[Issued], key: str, *, shared: bool = False) -> None:
    """A page's new links (one per partner), with one QR code on screen at a time: the newest,
    or the one the counselor asked for. Both partners' codes side by side, the partner in the
    room could scan the other's, and answer as them."""
    if not issued:
        return
    ids = [i.link_id for i in issued]
    showing = st.session_state.get(key)
    if showing not in ids:
        showing = max(ids)
    for one in issued:
        show_issued(app, one, shared=shared, code=one.link_id == showing, key=key)


def show_partners_issued(
    app: App, issued_key: str, partners: Sequence[Mapping[str, Any]], *, shared: bool = False
) -> None:
    """The links a page made, kept in st.session_state[issued_key] by partner id, in the
    partners' order (show_all_issued)."""
    made = st.session_state.get(issued_key, {})
    show_all_issued(
        app,
        [made[p["id"]] for p in partners if p["id"] in made],
        f"{issued_key}.code",
        shared=shared,
    )


def _show_code(key: str, link_id: int) -> None:
    st.session_state[key] = link_id


def show_issued(
    app: App, issued: Issued, *, shared: bool = False, code: bool = True, key: str = ""
) -> None:
    """The new link, its QR code (or, where `code` is False, a button under `key` that shows
    it instead of the other's) and message; the token cannot be shown again later."""
    url = link_url(app, issued.token)
    with st.container(border=True):
        title = plain(issued.instrument_title)
        st.markdown(f"**New link for {plain(issued.partner_name)}: {title}**")
        st.caption(
            "Copy it now: Tandem keeps only a fingerprint of the link, so it cannot show it again. "
            "If it is lost, create a new one (the old one then stops working)."
        )
        # The code and the texts side by side where both fit, the texts below where not: in
        # columns, a tablet's width put the link's box over a third of the code, which a phone
        # then could not scan.
        row = st.container(horizontal=True, wrap=True, gap="medium")
        if code:
            row.image(qr_image(url), caption="Scan to open on a phone", width=QR_WIDTH)
        else:
            row.button(
                f"Show the code for {plain(issued.partner_name)}",
                key=f"{key}.show.{issued.link_id}",
                icon=":material/qr_code_2:",
                on_click=_show_code,
                args=(key, issued.link_id),
                help="One code at a time, so that each partner scans their own: showing this "
                "one hides the other.",
            )
        # At least 18rem wide (READABLE_CSS): narrower, the texts go below the code.
        text = row.container(width="stretch", key=f"{ISSUED_TEXT}{issued.link_id}")
        text.code(url, language=None, wrap_lines=True)
        note = message(app, issued, url, shared=shared)
        text.code(note, language=None, wrap_lines=True)
        # The counselor's own e-mail or messages app sends it: Tandem sends nothing anywhere.
        send = text.container(horizontal=True)
        # Named after the partner either way (not one "E-mail it" per partner; a walkthrough
        # read "E-mail to maya@…" beside "E-mail it to Jonas" as two different things).
        name = plain(issued.partner_name)
        send.link_button(
            f"E-mail {name} ({plain(issued.email)})" if issued.email else f"E-mail {name}",
            mail_url(issued, note),
            icon=":material/mail:",
        )
        sms = text_url(issued, note)
        if sms:
            send.link_button(f"Text {name} ({plain(issued.phone)})", sms, icon=":material/sms:")
        text.caption(
            (
                "These open your own e-mail and messages apps"
                if sms
                else "It opens your own e-mail app"
            )
            + " with the message ready to send; Tandem itself sends nothing."
        )
