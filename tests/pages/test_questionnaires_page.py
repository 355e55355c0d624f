"""The counselor's questionnaires page: links with QR code, status, scores and comparison."""

import html
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote

from core import accounts, couples, instruments, links
from tests.pages.conftest import html_bodies, open_tab, signed_in, text_of, visible_text
from ui import answers, link_status, state
from ui.widgets import plain

PAGE = "pages/3_Questionnaires.py"


def rachel_and_marcus(db):
    actor = accounts.authenticate(db, "demo", "demo-password")
    row = next(r for r in couples.caseload(db, actor) if r["label"] == "Rachel & Marcus")
    return actor, couples.get(db, actor, row["id"])


def open_page(db, db_path, username="demo", couple_id=None):
    at = signed_in(db, db_path, username)
    at.session_state[state.COUPLE_ID] = couple_id
    at.switch_page(PAGE).run()
    return at


class _LinkCells(HTMLParser):
    """The links table's rows as {column: text}: its wide layout's columns, and "Dates", the
    one column of times a narrow screen shows instead (ui/link_status.py)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag == "style"
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        self.skip -= tag == "style"
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


def link_rows(at) -> list[dict[str, str]]:
    """The rows of the links table on the page (the Link status tab)."""
    body = next(b for b in html_bodies(at) if 'aria-label="Links table"' in b)
    parser = _LinkCells()
    parser.feed(body)
    head, *rows = parser.rows
    # As read: a non-breaking hyphen is a hyphen.
    return [dict(zip(head, (c.replace("\u2011", "-") for c in r), strict=True)) for r in rows]


def answer_all(db, token, instrument_id, value_for):
    for item in instruments.load(instrument_id).items:
        value = value_for(item)
        if value is not None:
            links.save_answer(db, token, item.id, value)
    assert links.submit(db, token)


def required_only(item):
    """For answer_all: an answer to a required question (its first option, or its lowest
    number), nothing to the others."""
    if not item.required:
        return None
    return item.options[0].value if item.options else item.min


def intake_answers(db, db_path, couple_id):
    """The Questionnaires page on its Answers tab, showing the intake."""
    at = open_page(db, db_path, couple_id=couple_id)
    open_tab(at, "questionnaires.tab", "Answers")
    at.selectbox(key="answers.instrument").set_value("intake").run()
    assert not at.exception
    return at


def test_creating_a_link_shows_the_address_and_a_message_once(demo_db, db_path):
    actor, couple = rachel_and_marcus(demo_db)
    rachel = couple["partners"][0]
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    at.selectbox(key=f"send.{rachel['id']}.instrument").set_value("csi4")
    at.button(key=f"send.{rachel['id']}.go").click().run()
    assert not at.exception
    codes = [c.value for c in at.code]
    url = next(c for c in codes if c.startswith("http"))
    assert "/Questionnaire?t=" in url
    token = url.split("t=", 1)[1]
    assert links.open_link(demo_db, token).partner_id == rachel["id"]
    assert any("Hello Rachel" in c for c in codes)
    assert any("Here is your private link from Tandem practice, for “" in c for c in codes)
    rows = [
        r for r in links.for_couple(demo_db, actor, couple["id"]) if r["instrument_id"] == "csi4"
    ]
    assert [(r["partner_id"], r["status"]) for r in rows] == [(rachel["id"], "opened")]


def test_a_new_link_can_be_sent_from_the_counselors_own_mail_or_messages_app(demo_db, db_path):
    """Addressed to that partner's own e-mail and phone, never the other partner's; the message
    with the link is in it; Tandem itself sends nothing."""
    _, couple = rachel_and_marcus(demo_db)
    rachel, marcus = couple["partners"]
    contacts = {
        rachel["id"]: ("rachel@example.org", "+1 555 0100"),
        marcus["id"]: ("m@example.org", "+1 555 0199"),
    }
    for pid, (email, phone) in contacts.items():
        demo_db.write(
            lambda tx, pid=pid, email=email, phone=phone: tx.cur.execute(
                "UPDATE partners SET email = $e, phone = $p WHERE id = $id",
                {"e": email, "p": phone, "id": pid},
            )
        )
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    at.selectbox(key=f"send.{rachel['id']}.instrument").set_value("csi4")
    at.button(key=f"send.{rachel['id']}.go").click().run()
    assert not at.exception
    url = next(c.value for c in at.code if c.value.startswith("http"))
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button")}
    # The labels show the address as written (escaped from Markdown in the element).
    mail = buttons[f"E-mail Rachel ({plain('rachel@example.org')})"]
    text = buttons[f"Text Rachel ({plain('+1 555 0100')})"]
    assert mail.startswith("mailto:rachel@example.org?subject=") and text.startswith(
        "sms:+15550100?"
    )
    for address in (mail, text):
        assert quote(url, safe="") in address  # the private link itself
        assert "m%40example.org" not in address and "m@example.org" not in address
        assert "5550199" not in address
    assert "Tandem itself sends nothing" in visible_text(at)


def test_another_counselors_couple_is_refused(demo_db, db_path):
    _, couple = rachel_and_marcus(demo_db)
    at = open_page(demo_db, db_path, username="riley", couple_id=couple["id"])
    assert not at.exception
    assert "not available to you" in visible_text(at)
    assert "Rachel" not in visible_text(at)


def test_answers_show_scores_with_cutoff_and_the_comparison_without_safety_items(demo_db, db_path):
    actor, couple = rachel_and_marcus(demo_db)
    rachel, marcus = couple["partners"]
    for partner, level in ((rachel, 0), (marcus, 1)):
        issued = links.issue(demo_db, actor, couple["id"], partner["id"], "csi4")
        answer_all(
            demo_db, issued.token, "csi4", lambda item, lv=level: item.options[-1 - lv].value
        )
        issued = links.issue(demo_db, actor, couple["id"], partner["id"], "intake")

        def intake_answer(item, lv=level):
            if item.id == "safety_thinking_of_ending":
                return lv == 1  # Marcus says yes: a counselor-only flag
            if item.type == instruments.YES_NO:
                return False
            if item.type in (instruments.SCALE, instruments.SINGLE):
                return item.options[0].value
            if item.type in (instruments.SLIDER, instruments.SPLIT, instruments.NUMBER):
                return item.min
            return None

        answer_all(demo_db, issued.token, "intake", intake_answer)

    at = open_page(demo_db, db_path, couple_id=couple["id"])
    open_tab(at, "questionnaires.tab", "Answers")
    at.selectbox(key="answers.instrument").set_value("csi4").run()
    text = visible_text(at)
    assert not at.exception
    assert "Relationship satisfaction (CSI-4): 21" in text
    assert "range 0–21" in text and "cut-off 13.5" in text
    assert "Side by side" in text
    assert "Written answers follow" not in text  # the CSI-4 has none

    at.selectbox(key="answers.instrument").set_value("intake").run()
    text = visible_text(at)
    assert "Counselor-only answer needs attention" in text
    tables = " ".join(html_bodies(at))
    assert "Side by side" in text and "<table>" in tables
    assert "thinking about ending" not in tables


def test_revoking_stops_the_link(demo_db, db_path):
    actor, couple = rachel_and_marcus(demo_db)
    issued = links.issue(demo_db, actor, couple["id"], couple["partners"][1]["id"], "checkin")
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    open_tab(at, "questionnaires.tab", "Link status")
    # A link not opened or sent yet shows a dash in those columns, not the word "None".
    newest = link_rows(at)[0]
    assert (newest["Partner"], newest["Status"]) == ("Marcus", "Sent")
    assert newest["Opened"] == newest["Submitted"] == "—"
    at.button(key="revoke.go").click().run()
    assert not at.exception
    # It asks first: nothing is stopped until the counselor says yes.
    assert any("Stop Marcus's link to" in text_of(w) for w in at.warning)
    rows = links.for_couple(demo_db, actor, couple["id"])
    assert [r["status"] for r in rows if r["id"] == issued.link_id] != ["revoked"]
    at.button(key="revoke.asking.no").click().run()
    assert not any("Stop Marcus's link" in text_of(w) for w in at.warning)
    links.open_link(demo_db, issued.token)  # still works
    at.button(key="revoke.go").click().run()
    at.button(key="revoke.asking.yes").click().run()
    assert not at.exception
    assert [t.value for t in at.toast] == ["The link is stopped: it no longer opens."]
    rows = links.for_couple(demo_db, actor, couple["id"])
    assert [r["status"] for r in rows if r["id"] == issued.link_id] == ["revoked"]
    try:
        links.open_link(demo_db, issued.token)
        raise AssertionError("a revoked link opened")
    except links.LinkUnavailable:
        pass


def test_a_link_lifetime_past_the_limit_is_refused_in_words_and_no_link_is_made(demo_db, db_path):
    # No bounds on the widget: in the browser a number past them was not taken, and the button
    # made a link with the lifetime from before while the box showed another.
    actor, couple = rachel_and_marcus(demo_db)
    rachel = couple["partners"][0]
    before = len(links.for_couple(demo_db, actor, couple["id"]))
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    at.selectbox(key=f"send.{rachel['id']}.instrument").set_value("csi4")
    at.number_input(key=f"send.{rachel['id']}.days").set_value(500)
    at.button(key=f"send.{rachel['id']}.go").click().run()
    assert not at.exception
    assert any(str(links.MAX_EXPIRY_DAYS) in text_of(e) for e in at.error)
    assert not [c for c in at.code if c.value.startswith("http")]
    assert len(links.for_couple(demo_db, actor, couple["id"])) == before


def test_one_partners_answers_are_readable_before_the_other_sends_long_texts_in_full(
    demo_db, db_path
):
    actor, couple = rachel_and_marcus(demo_db)
    rachel = couple["partners"][0]
    issued = links.issue(demo_db, actor, couple["id"], rachel["id"], "intake")
    long_text = "We want to live near the coast. " * 25 + "THE END"
    links.save_answer(demo_db, issued.token, "in_five_years", long_text)
    answer_all(
        demo_db,
        issued.token,
        "intake",
        required_only,
    )
    at = intake_answers(demo_db, db_path, couple["id"])
    text = visible_text(at)
    assert "The answers sent so far" in text and "Where they differ most" not in text
    heads = [re.findall(r'<th scope="col">([^<]*)</th>', body) for body in html_bodies(at)]
    assert ["Question", "Rachel", "Marcus (not sent yet)", "Pattern"] in heads
    assert text.count(long_text) == 1  # in full, and only once (not in the table as well)
    assert "Marcus:" not in text  # not sent yet: nothing to say he left empty


def test_times_show_on_the_counselors_own_clock(demo_db, db_path, monkeypatch):
    """Stored times are UTC; a counselor in Sydney sees the day and hour on her own clock: a
    form sent at 21:50 UTC on 23 Nov came in at 08:50 on the 24th there (it showed 23 Nov,
    21:50). Both the answers' caption and the links table."""
    from datetime import datetime

    import ui.widgets
    from tests.conftest import rows

    monkeypatch.setattr(ui.widgets, "browser_zone", lambda: "Australia/Sydney")
    actor, couple = rachel_and_marcus(demo_db)
    rachel = couple["partners"][0]
    issued = links.issue(demo_db, actor, couple["id"], rachel["id"], "csi4")
    answer_all(demo_db, issued.token, "csi4", lambda item: item.options[-1].value)
    sent = datetime(2026, 11, 23, 21, 50)
    rows(
        demo_db,
        "UPDATE links SET submitted_at = $t, created_at = $t WHERE partner_id = $p",
        t=sent,
        p=rachel["id"],
    )
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    open_tab(at, "questionnaires.tab", "Answers")
    at.selectbox(key="answers.instrument").set_value("csi4").run()
    assert not at.exception
    assert "Submitted 24 Nov 2026, 08:50" in visible_text(at)
    open_tab(at, "questionnaires.tab", "Link status")
    submitted = [r["Submitted"] for r in link_rows(at) if r["Partner"] == "Rachel"]
    assert "24 Nov 2026, 08:50" in submitted

    monkeypatch.setattr(ui.widgets, "browser_zone", lambda: None)  # no zone sent: UTC
    open_tab(at, "questionnaires.tab", "Answers")
    assert "Submitted 23 Nov 2026, 21:50" in visible_text(at)


def test_a_check_in_from_a_personal_link_shows_no_sent_time(demo_db, db_path):
    """Nothing was sent: Tandem made it when the partner first opened their personal link, so
    "Sent" was the opening time (walkthrough). An ordinary link keeps its Sent."""
    from datetime import timedelta

    from core import checkins
    from core.clock import utcnow
    from tests.conftest import make_couple

    actor, _ = rachel_and_marcus(demo_db)
    couple = couples.get(demo_db, actor, make_couple(demo_db, actor, "Rachel", "Sam"))
    rachel = couple["partners"][0]
    start = (utcnow() - timedelta(days=2)).date().isoformat()
    checkins.set_schedule(demo_db, actor, couple["id"], "weekly", start, "UTC")
    standing = checkins.issue_standing(demo_db, actor, couple["id"], rachel["id"])
    period_token = checkins.open_standing(demo_db, standing.token).period_token
    links.open_link(demo_db, period_token)
    links.issue(demo_db, actor, couple["id"], rachel["id"], "csi4")
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    open_tab(at, "questionnaires.tab", "Link status")
    assert not at.exception
    table = link_rows(at)
    newest = next(r for r in table if (r["Partner"], r["Questionnaire"]) == ("Rachel", "Check-in"))
    assert newest["Sent"] == "—" and newest["Opened"] != "—"
    assert not newest["Dates"].startswith("Sent") and newest["Dates"].startswith("Opened")
    csi = next(r for r in table if "CSI" in r["Questionnaire"])
    assert csi["Sent"] != "—" and csi["Dates"].startswith("Sent")


def test_the_side_by_side_table_wraps_escapes_and_colours_by_pattern():
    """One HTML table per part (a grid's fixed columns hid the second partner's answers on a
    tablet and cut long questions): people's words escaped, each row coloured by its pattern,
    written answers left to the text under it."""
    row = SimpleNamespace
    body = answers.table_html(
        [
            row(prompt="Who <decides>?", answer_a="Me & you", answer_b=None, band="split",
                type=instruments.SINGLE),
            row(prompt="Who gives way?", answer_a="I do", answer_b="We take turns",
                band="different", type=instruments.SINGLE),
            row(prompt="In your words", answer_a="word " * 100, answer_b="Short.", band=None,
                type=instruments.LONG_TEXT),
        ],
        ("Ana <b>", "Bo"),
        "Part one",
    )  # fmt: skip
    assert "Who &lt;decides&gt;?" in body and "Me &amp; you" in body and "Ana &lt;b&gt;" in body
    assert '<tr class="split">' in body and '<tr class="different">' in body
    assert body.count("<tr") == 3  # the heading and the two closed questions
    assert "In your words" not in body and "Short." not in body
    assert '<span class="muted">—</span>' in body  # the answer not given
    assert (
        answers.table_html([row(prompt="Only words", type=instruments.LONG_TEXT)], "AB", "") == ""
    )


def test_the_legend_names_each_colour_as_the_table_draws_it():
    """ "Different" rows were yellow like "split" ones, and the legend said yellow meant they
    split: every coloured pattern has its own colour and the legend says which (walkthrough)."""
    css = {}
    for name, colour in re.findall(r"tr\.(\w+) th, [^{]*\{ background: (#\w+); \}", answers.CSS):
        css[name] = colour
    classes = answers.BAND_CLASS
    assert set(classes) == {"both positive", "both concerned", "split", "different"}
    assert len({css[c] for c in classes.values()}) == len(classes)  # a colour each
    for band, (_, colour, meaning) in answers.BANDS.items():
        assert f"{colour}, {band}: {meaning}." in answers.LEGEND
    assert "No colour: the same answer (same)" in answers.LEGEND


def test_both_partners_intakes_compare_shares_in_names_and_written_answers_once(demo_db, db_path):
    """A share of the housework reads "Rachel 70% · Marcus 30%" in both columns' order, not
    each partner's own "Me … · My partner …"; a written answer is on the page once, in full
    (it was also in the table, cut); a partner who left it empty is said to have."""
    actor, couple = rachel_and_marcus(demo_db)
    rachel, marcus = couple["partners"]
    long_text = "We want to live near the coast, " * 20 + "and that is the whole of it."
    given = {
        rachel["id"]: {"household_share": 70, "in_five_years": long_text},
        marcus["id"]: {"household_share": 10},
    }
    for partner in (rachel, marcus):
        issued = links.issue(demo_db, actor, couple["id"], partner["id"], "intake")
        for item_id, value in given[partner["id"]].items():
            links.save_answer(demo_db, issued.token, item_id, value)
        answer_all(
            demo_db,
            issued.token,
            "intake",
            lambda item: (
                None if item.id in ("household_share", "in_five_years") else required_only(item)
            ),
        )
    at = intake_answers(demo_db, db_path, couple["id"])
    text = visible_text(at)
    tables = " ".join(html_bodies(at))
    share_row = re.search(r"what share do I carry\?</th>(.*?)</tr>", tables, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", share_row)
    as_read = [html.unescape(re.sub(r"<[^>]+>", "", c)).replace("\xa0", " ") for c in cells]
    assert as_read == ["Rachel 70% · Marcus 30%", "Rachel 90% · Marcus 10%", "different"]
    # In a narrow column a share stays whole, on its name's line.
    assert cells[1] == '<span class="shares">Rachel&nbsp;90% · Marcus&nbsp;10%</span>'
    assert "% · My partner" not in tables
    # The conversation starters say it as one sentence about Rachel's share.
    assert "Rachel's share: 70% by Rachel's account, 90% by Marcus's (20 points apart)." in text
    assert text.count(long_text) == 1 and "We want to live near the coast" not in tables
    assert "*Marcus:* :gray[not answered]" in text
    assert answers.LEGEND in text and "Written answers follow each part's table" in text


def test_the_links_table_wraps_escapes_and_has_a_narrow_layout():
    """An HTML table whose cells wrap (the grid's fixed columns put *Expires* out of sight at
    1,280 px and the times off to the side on a tablet): people's words escaped, answers saved
    on an open link counted, and one column of times for a narrow screen, where an expiry is
    said only while the link still opens."""
    from datetime import datetime

    base = {
        "origin": None,
        "created_at": datetime(2026, 11, 2, 9, 5),
        "opened_at": None,
        "submitted_at": None,
        "expires_at": datetime(2026, 11, 16, 9, 5),
        "answered": None,
    }
    rows = [
        base
        | {
            "partner_name": "<b>Ana</b>",
            "instrument_id": "csi4",
            "status": "in_progress",
            "opened_at": datetime(2026, 11, 3, 20, 0),
            "answered": 3,
        },
        base | {"partner_name": "Ben", "instrument_id": "intake", "status": "replaced"},
    ]
    body = link_status.table_html(
        rows, lambda i: {"csi4": "Things (CSI-4)"}.get(i, i), lambda v: v, "Links"
    )
    assert "<b>Ana</b>" not in body and "&lt;b&gt;Ana&lt;/b&gt;" in body
    parser = _LinkCells()
    parser.feed(body)
    head, first, second = parser.rows
    wide = ["Partner", "Questionnaire", "Status", "Sent", "Opened", "Submitted", "Expires"]
    assert head == [*wide, "Dates"]
    assert first[:7] == [
        "<b>Ana</b>",
        "Things (CSI\u20114)",  # a hyphen that does not break
        "In progress3 answers saved",
        "2 Nov 2026, 09:05",
        "3 Nov 2026, 20:00",
        "—",
        "16 Nov 2026",
    ]
    assert first[7] == "Sent 2 Nov 2026, 09:05Opened 3 Nov 2026, 20:00Expires 16 Nov 2026"
    assert second[2] == "Replaced by a newer link"
    assert second[7] == "Sent 2 Nov 2026, 09:05"  # no expiry: it no longer opens
    # The narrow layout swaps the columns by the table's own width, not the window's.
    assert "@container (max-width: 46rem)" in body


def test_many_links_come_a_screen_at_a_time_newest_first(demo_db, db_path):
    """A couple seen weekly for years has hundreds of links: 20 a screen, newest first, and
    every open link can still be stopped from any screen."""
    actor, couple = rachel_and_marcus(demo_db)
    rachel, marcus = couple["partners"]
    links.issue(demo_db, actor, couple["id"], marcus["id"], "intake")  # stays open
    for _ in range(25):  # each replaces the one before
        links.issue(demo_db, actor, couple["id"], rachel["id"], "csi4")
    total = len(links.for_couple(demo_db, actor, couple["id"]))
    assert total > link_status.PAGE_SIZE
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    open_tab(at, "questionnaires.tab", "Link status")
    first = link_rows(at)
    assert len(first) == link_status.PAGE_SIZE
    assert f"Links 1–20 of {total}, newest first" in visible_text(at)
    assert (first[0]["Partner"], first[0]["Status"]) == ("Rachel", "Sent")
    assert at.button(key="links.newer").disabled
    # Marcus's intake link is open but not on this screen: it can still be stopped.
    assert "Marcus · Getting started" not in " ".join(
        r["Partner"] + " · " + r["Questionnaire"] for r in first
    )
    assert any(
        o.startswith("Marcus · Getting started") for o in at.selectbox(key="revoke.id").options
    )

    at.button(key="links.older").click().run()
    assert not at.exception
    second = link_rows(at)
    assert len(second) == min(link_status.PAGE_SIZE, total - link_status.PAGE_SIZE)
    assert f"Links 21–{20 + len(second)} of {total}" in visible_text(at)
    assert not at.button(key="links.newer").disabled

    # A new link sent: Link status opens on the first screen again, where it is.
    open_tab(at, "questionnaires.tab", "Send a link")
    at.selectbox(key=f"send.{marcus['id']}.instrument").set_value("csi4")
    at.button(key=f"send.{marcus['id']}.go").click().run()
    assert not at.exception
    open_tab(at, "questionnaires.tab", "Link status")
    newest = link_rows(at)[0]
    assert (newest["Partner"], newest["Status"]) == ("Marcus", "Sent")
    assert f"Links 1–20 of {total + 1}" in visible_text(at)


def test_two_new_links_show_one_qr_code_at_a_time(demo_db, db_path):
    """Both partners' codes on one screen, the partner in the room could scan the other's
    and answer as them: the newest shows its code, the other a button that swaps them."""
    from ui.links import qr_image

    _, couple = rachel_and_marcus(demo_db)
    rachel, marcus = couple["partners"]
    at = open_page(demo_db, db_path, couple_id=couple["id"])
    at.button(key=f"send.{rachel['id']}.go").click().run()
    at.button(key=f"send.{marcus['id']}.go").click().run()
    assert not at.exception
    urls = [c.value for c in at.code if c.value.startswith("http")]
    assert len(urls) == 2  # both links' addresses and messages stay, to copy

    def codes_shown() -> list[str]:
        return [i.url for img in at.get("image") for i in img.proto.imgs]

    def swaps() -> list[str]:
        return [b.label for b in at.button if b.label.startswith("Show the code")]

    assert codes_shown() == [qr_image(urls[1])]  # Marcus's, the newest
    assert swaps() == ["Show the code for Rachel"]
    next(b for b in at.button if b.label == "Show the code for Rachel").click().run()
    assert codes_shown() == [qr_image(urls[0])]
    assert swaps() == ["Show the code for Marcus"]
