"""The caseload home and a couple's page: search, filter, create, edit, archive, delete."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from core import accounts, audit, couples, decisions, erasure, instruments, links
from core.clock import utcnow
from core.dates import shown
from tests.conftest import erase_for_good
from tests.pages.conftest import (
    COOKIE_KEY,
    caseload_rows,
    fake_client,
    html_bodies,
    new_app,
    open_tab,
    profile_cards,
    signed_in,
    text_of,
    visible_text,
)
from ui import state
from ui.widgets import ARCHIVED_LINKS

COUPLE = "pages/1_Couple.py"
NEW = "pages/2_New_couple.py"


def couple_id(db, username, label):
    actor = accounts.authenticate(db, username, f"{username}-password")
    return next(r["id"] for r in couples.caseload(db, actor, status="all") if r["label"] == label)


def rachel_and_marcus(db, db_path, tab: str | None = None) -> tuple[AppTest, int]:
    """The demo counselor on Rachel & Marcus's page (on `tab`, if given), and the couple's id."""
    at = signed_in(db, db_path, "demo")
    cid = couple_id(db, "demo", "Rachel & Marcus")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(COUPLE).run()
    if tab:
        open_tab(at, "couple.tab", tab)
    return at, cid


def test_caseload_search_narrows_the_list(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    at.text_input(key="caseload.q").input("王芳").run()
    text = visible_text(at)
    assert "王芳 & Tomás" in text
    assert "Rachel & Marcus" not in text


def test_caseload_archived_view_shows_only_archived_couples(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    assert "Inès & Farid" not in visible_text(at)
    at.button_group(key="caseload.status").set_value("archived").run()
    text = visible_text(at)
    assert "Inès & Farid" in text
    assert "Rachel & Marcus" not in text


def test_admin_sees_the_whole_practice_with_counselor_names(demo_db, db_path):
    at = signed_in(demo_db, db_path, "admin")
    text = visible_text(at)
    assert "Rachel & Marcus" in text and "Hana & Yusuf" in text
    assert "Riley Okafor" in text
    # Their own caseload is empty: the page says where the practice's couples are.
    at.toggle(key="caseload.whole").set_value(False).run()
    assert [text_of(i) for i in at.info][-1:] == [
        "No couples of your own yet. **Whole practice** shows every counselor's couples; "
        "**New couple** adds one to your own caseload."
    ]


def open_link(at: AppTest, label: str) -> AppTest:
    """Follow the caseload's link to the couple `label` as the page script does in the browser
    (core/frontend.py, part 8): the couple's page, run with the link's query."""
    href = next(r["href"] for r in caseload_rows(at) if r["Couple"] == label)
    page, _, query = href.partition("?")
    assert page == "Couple"
    key, _, token = query.partition("=")
    at.query_params[key] = token
    return at.switch_page(COUPLE).run()


def test_a_couples_name_opens_the_couple_page(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    token = token_of(at, "Rachel & Marcus")
    open_link(at, "Rachel & Marcus")
    assert not at.exception
    assert at.session_state[state.COUPLE_ID] == couple_id(demo_db, "demo", "Rachel & Marcus")
    assert [t.value.replace("\\", "") for t in at.title] == ["Rachel & Marcus"]
    # The token stays in the address: the history's entry names its couple, a reload reopens it.
    assert at.query_params["open"] in (token, [token])


def test_the_browsers_back_and_forward_open_the_couple_each_entry_named(demo_db, db_path):
    """Back from a couple to the caseload, another couple opened, then Back twice: the first
    couple's entry (its address, with its token) opens the first couple again."""
    at = signed_in(demo_db, db_path, "demo")
    first, second = token_of(at, "Rachel & Marcus"), token_of(at, "Amara & Jonah")
    open_link(at, "Rachel & Marcus")
    at.query_params.pop("open", None)
    at.switch_page("app.py").run()
    open_link(at, "Amara & Jonah")
    assert at.session_state[state.COUPLE_ID] == couple_id(demo_db, "demo", "Amara & Jonah")
    for token, label in ((first, "Rachel & Marcus"), (second, "Amara & Jonah")):
        at.query_params["open"] = token  # the history entry's address, as popstate runs it
        at.switch_page(COUPLE).run()
        assert [t.value.replace("\\", "") for t in at.title] == [label]


def token_of(at: AppTest, label: str) -> str:
    return next(r["href"] for r in caseload_rows(at) if r["Couple"] == label).partition("open=")[2]


def test_a_couples_link_names_no_id_and_only_its_sign_in_can_follow_it(demo_db, db_path):
    """The address carries a token, never the couple's id. Another tab of the same sign-in
    (a new session resumed from the remember-me cookie, or a reload) follows it; another
    sign-in, even of the same account, does not."""
    at = signed_in(demo_db, db_path, "demo")
    rows = caseload_rows(at)
    tokens = [r["href"].partition("open=")[2] for r in rows]
    # The token is the address's one parameter: no id rides along beside it. (A check that no
    # token equals an id could not fail: ids are short numbers, tokens 16 characters.)
    assert {parse_qs(urlparse(r["href"]).query).keys() == {"open"} for r in rows} == {True}
    assert len(set(tokens)) == len(rows)
    assert all(len(t) == 16 for t in tokens)
    at.run()  # the same couple keeps its link (the browser's Back and history still work)
    assert [r["href"] for r in caseload_rows(at)] == [r["href"] for r in rows]

    token = token_of(at, "Rachel & Marcus")
    same_sign_in = new_app(db_path)
    same_sign_in.session_state[state.ACTOR] = at.session_state[state.ACTOR]
    same_sign_in.query_params["open"] = token
    same_sign_in.switch_page(COUPLE).run()
    assert [t.value.replace("\\", "") for t in same_sign_in.title] == ["Rachel & Marcus"]

    other = signed_in(demo_db, db_path, "demo")  # signed in again: another sign-in
    assert token_of(other, "Rachel & Marcus") != token  # not made from the couple alone
    other.query_params["open"] = token
    other.switch_page(COUPLE).run()
    assert not other.exception
    assert state.COUPLE_ID not in other.session_state
    assert any("belongs to another sign-in" in text_of(i) for i in other.info)
    # Refused reaches are in the audit trail, without the token.
    assert "open" not in other.query_params


@pytest.mark.parametrize("token", ["", "x", "A" * 16, "é" * 16, "A" * 10_000, "../../etc", "1"])
def test_a_made_up_token_opens_nothing(demo_db, db_path, token):
    at = signed_in(demo_db, db_path, "demo")
    at.query_params["open"] = token
    at.switch_page(COUPLE).run()
    assert not at.exception
    assert state.COUPLE_ID not in at.session_state
    assert any("belongs to another sign-in" in text_of(i) for i in at.info)


def test_another_counselors_token_cannot_open_their_couple(demo_db, db_path):
    """riley's sign-in, handed demo's link, opens nothing: neither demo's token nor one made
    with the key for riley's own sign-in and demo's couple (core matches a token only against
    the couples the actor may open)."""
    demo_at = signed_in(demo_db, db_path, "demo")
    riley = signed_in(demo_db, db_path, "riley")
    rachel = couple_id(demo_db, "demo", "Rachel & Marcus")
    forged = couples.link_token(COOKIE_KEY, riley.session_state[state.ACTOR], rachel)
    for token in (token_of(demo_at, "Rachel & Marcus"), forged):
        riley.query_params["open"] = token
        riley.switch_page(COUPLE).run()
        assert not riley.exception
        assert "Rachel" not in visible_text(riley)
        assert state.COUPLE_ID not in riley.session_state


def test_caseload_table_rows_carry_alerts_and_their_reasons(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    rows = {r["Couple"]: r for r in caseload_rows(at)}
    first = next(iter(rows.values()))
    assert first["Couple"] == "王芳 & Tomás"  # needs attention first
    assert "Safety answer" in first["alerts"]
    assert "read it before the session" in first["Why"]
    assert rows["Elif & Mateo"]["alerts"] == [] and rows["Elif & Mateo"]["Why"] == "—"
    # A couple with no check-in or review yet shows a dash there, not the word "None".
    assert all(r["Last check-in"] != "None" and r["Next review"] != "None" for r in rows.values())
    assert "—" in {r["Next review"] for r in rows.values()} | {rows["Elif & Mateo"]["Why"]}
    # The headings say what they mean on hover, as the grid's did.
    body = next(b for b in html_bodies(at) if "tandem-caseload" in b)
    assert 'title="How satisfaction moved over the last 90 days, and whose: a trend' in body


def test_next_review_shows_the_soonest_date_and_what_it_reviews(demo_db, db_path):
    """王芳 & Tomás's agreement is due before their season's review, and Elif & Mateo get an
    open decision whose follow-up comes before both of theirs: the column shows the soonest,
    with what it is (an agreement's date came only once it had passed, a follow-up's never).
    A typed title stays text."""
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    ids = {r["label"]: r["id"] for r in couples.caseload(demo_db, actor)}
    soon = utcnow().date() + timedelta(days=9)
    decision = decisions.create(demo_db, actor, ids["Elif & Mateo"], "<b>Back to full time</b>")
    decisions.update(demo_db, actor, ids["Elif & Mateo"], decision, {"follow_up_on": soon})
    at = signed_in(demo_db, db_path, "demo")
    cells = {r["Couple"]: r["Next review"] for r in caseload_rows(at)}
    assert cells["王芳 & Tomás"].endswith("Agreement “The visa is not a trump card”")
    # Its kind shown under the date with a mouse, the whole of it on a touch screen (both sent).
    assert cells["Elif & Mateo"] == (
        f"{shown(soon)}Decision follow-upFollow-up of decision “<b>Back to full time</b>”"
    )
    body = next(b for b in html_bodies(at) if "tandem-caseload" in b)
    assert "<b>Back" not in body and "&lt;b&gt;Back to full time&lt;/b&gt;" in body


def test_the_caseload_table_escapes_what_counselors_typed(demo_db, db_path):
    """Names, occupations and cities are typed by people: shown as text, never as markup."""
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    couples.create(
        demo_db,
        actor,
        {"name": "<b>Ana</b>", "occupation": '<img src=x onerror="alert(1)">'},
        {"name": "Bo", "city": "</td><script>x()</script>"},
    )
    at = signed_in(demo_db, db_path, "demo")
    body = next(b for b in html_bodies(at) if "tandem-caseload" in b)
    assert "<img" not in body and "<script" not in body and "<b>" not in body
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; Bo" in body and "&lt;img src=x" in body
    assert "<b>Ana</b> & Bo" in [r["Couple"] for r in caseload_rows(at)]


def test_the_caseload_table_keeps_typed_quotes_inside_its_attributes(demo_db, db_path):
    """A quote typed into an occupation or city must not close the title attribute."""
    from html.parser import HTMLParser

    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    typed = 'x" style="position:fixed" data-in-app="1'
    couples.create(
        demo_db, actor, {"name": "Quo", "occupation": typed}, {"name": "Te", "city": "y' z"}
    )
    at = signed_in(demo_db, db_path, "demo")
    body = next(b for b in html_bodies(at) if "tandem-caseload" in b)
    seen: list[dict] = []

    class Attrs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen.append(dict(attrs))

    Attrs().feed(body)
    assert not [a for a in seen if "style" in a]
    assert f"{typed} · y' z" in [a["title"] for a in seen if a.get("class") == "about"]


def test_an_archived_couple_shows_only_a_safety_alert_on_the_caseload(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    before = {r["Couple"]: r["alerts"] for r in caseload_rows(at)}
    busy = next(c for c, a in before.items() if a and "Safety answer" not in a)
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    for label in (busy, "王芳 & Tomás"):
        couples.set_archived(demo_db, actor, couple_id(demo_db, "demo", label), True)
    at.button_group(key="caseload.status").set_value("archived").run()
    after = {r["Couple"].removesuffix(" (archived)"): r["alerts"] for r in caseload_rows(at)}
    assert after[busy] == []  # no overdue check-in or passed review for a closed case
    assert after["王芳 & Tomás"] == ["Safety answer"]  # a safety answer is never hidden


def test_the_couple_overview_shows_what_stands_out_safety_in_red(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "demo", "王芳 & Tomás")
    at.switch_page(COUPLE).run()
    assert not at.exception
    boxes = [text_of(e) for e in at.error if "What stands out" in e.value]
    assert len(boxes) == 1 and "Safety answer" in boxes[0]
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "demo", "Amara & Jonah")
    at.switch_page(COUPLE).run()
    boxes = [text_of(w) for w in at.warning if "What stands out" in w.value]
    assert len(boxes) == 1 and boxes[0].count("overdue") == 1  # said once, in yellow
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "demo", "Elif & Mateo")
    at.switch_page(COUPLE).run()  # nothing stands out: no box at all
    assert not [e for e in [*at.error, *at.warning] if "What stands out" in e.value]


def test_couple_page_shows_both_partners_side_by_side(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "demo", "Zoë & Łukasz")
    at.switch_page(COUPLE).run()
    assert not at.exception
    cards = profile_cards(at)  # one HTML element: each partner's card, in order
    assert [c["name"] for c in cards] == ["Zoë", "Łukasz"]
    # Dates as everywhere in Tandem (core.dates.shown): "7 Mar 2027", never "07 Mar 2027".
    caption = next(c.value for c in at.caption if "added " in c.value)
    assert re.search(r"added [1-9]\d? [A-Z][a-z]{2} \d{4} · last change [1-9]\d? ", caption)


def test_the_partner_cards_escape_what_counselors_typed_and_say_when_empty(demo_db, db_path):
    """The cards are one HTML element (ui/profiles.py): names and details typed by people show
    as text, never as markup; a partner with no details and no links says so."""
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = couples.create(
        demo_db,
        actor,
        {"name": "<b>Ana</b>", "occupation": '<img src=x onerror="alert(1)">', "weekly_hours": 40},
        {"name": "Bo"},
    )
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(COUPLE).run()
    assert not at.exception
    body = next(b for b in html_bodies(at) if "tandem-profiles" in b)
    assert "<img" not in body and "<b>Ana" not in body
    ana, bo = profile_cards(at)
    assert ana["name"] == "<b>Ana</b>" and bo["name"] == "Bo"
    assert "<b>Occupation:</b> &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in ana["details"]
    assert "<b>Weekly work hours:</b> 40" in ana["details"]
    assert bo["details"] == ["<i>No details yet.</i>"]
    assert ana["status"] == bo["status"] == ["<i>None sent yet.</i>"]


def test_couple_page_shows_each_partners_newest_link_per_questionnaire(demo_db, db_path):
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = couple_id(demo_db, "demo", "Zoë & Łukasz")
    first = couples.get(demo_db, actor, cid)["partners"][0]["id"]
    sent = links.issue(demo_db, actor, cid, first, "csi4", 14)
    links.open_link(demo_db, sent.token)  # the older link was opened ...
    links.issue(demo_db, actor, cid, first, "csi4", 14)  # ... and replaced by a new one
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(COUPLE).run()
    assert not at.exception
    status = profile_cards(at)[0]["status"]
    title = instruments.load("csi4").title
    mine = [line for line in status if line.startswith(title)]
    assert len(mine) == 1 and "<b>Sent</b>" in mine[0], status  # the newest only, not "Replaced"


def test_a_decisions_matrix_link_is_listed_under_the_decisions_title(demo_db, db_path):
    """Not under the form's internal name ("decision_matrix"), and one line per decision."""
    from core import decisions

    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = couple_id(demo_db, "demo", "Rachel & Marcus")
    first = couples.get(demo_db, actor, cid)["partners"][0]["id"]
    titled = []
    for d in decisions.for_couple(demo_db, actor, cid):
        try:
            links.issue_decision_form(demo_db, actor, cid, first, d["id"])
        except Exception:  # a decision without options and factors yet has no matrix form
            continue
        titled.append(d["title"])
    assert titled
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(COUPLE).run()
    assert not at.exception
    text = visible_text(at)
    assert "decision_matrix" not in text
    for title in titled:
        assert f"Weighing up: {title}: Sent" in text, text


EQUITY = "pages/6_Equity_and_trends.py"


def remembered_device(demo_db, db_path, username: str, monkeypatch):
    """A sign-in with a remember-me cookie, and a function that opens a new browser session
    on it (a reload, or a new tab) at a page: an AppTest with that cookie and empty state."""
    expires = accounts.session_expiry(1)
    actor = accounts.authenticate(demo_db, username, f"{username}-password")
    accounts.start_session(demo_db, actor, expires)
    cookie = accounts.make_cookie(username, expires, COOKIE_KEY)
    fake_client(monkeypatch, cookies={accounts.COOKIE_NAME: cookie})

    def reload(page: str) -> AppTest:
        at = new_app(db_path)
        at.run()
        at.switch_page(page).run()
        assert not at.exception
        return at

    return reload


def test_reloading_a_couple_page_opens_the_same_couple_again(demo_db, db_path, monkeypatch):
    reload = remembered_device(demo_db, db_path, "demo", monkeypatch)
    cid = couple_id(demo_db, "demo", "Zoë & Łukasz")
    first = reload(COUPLE)
    assert "Choose a couple from your caseload" in visible_text(first)  # nothing open yet
    first.session_state[state.COUPLE_ID] = cid  # what the caseload's Open does
    first.switch_page(COUPLE).run()
    assert "Zoë & Łukasz" in visible_text(first)
    # A reload (a new browser session on the same remembered sign-in), on any couple page.
    for page in (COUPLE, EQUITY):
        again = reload(page)
        assert again.session_state[state.COUPLE_ID] == cid, page
        assert "Zoë & Łukasz" in visible_text(again), page
    # Opening another couple is what the next reload opens.
    other = couple_id(demo_db, "demo", "Rachel & Marcus")
    first.session_state[state.COUPLE_ID] = other
    first.switch_page(COUPLE).run()
    assert "Rachel & Marcus" in visible_text(reload(COUPLE))


def test_a_reload_never_opens_a_couple_the_account_may_no_longer_open(
    demo_db, db_path, monkeypatch
):
    reload = remembered_device(demo_db, db_path, "demo", monkeypatch)
    cid = couple_id(demo_db, "demo", "Zoë & Łukasz")
    at = reload(COUPLE)
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(COUPLE).run()
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    riley = accounts.authenticate(demo_db, "riley", "riley-password")
    couples.reassign(demo_db, admin, cid, riley.counselor_id)
    again = reload(COUPLE)
    text = visible_text(again)
    assert "Choose a couple from your caseload" in text
    assert "Zoë" not in text and "not available" not in text
    assert state.COUPLE_ID not in again.session_state


@pytest.mark.parametrize("bad", ["abc", -1, 0, 10**12, "1 OR 1=1", None, 3.7])
def test_couple_page_with_nonsense_id_is_calm(demo_db, db_path, bad):
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = bad
    at.switch_page(COUPLE).run()
    assert not at.exception
    assert "Rachel" not in visible_text(at)


def test_couple_page_refuses_another_counselors_couple(demo_db, db_path):
    at = signed_in(demo_db, db_path, "riley")
    at.session_state[state.COUPLE_ID] = couple_id(demo_db, "demo", "Rachel & Marcus")
    at.switch_page(COUPLE).run()
    assert not at.exception
    assert "not available to you" in visible_text(at)
    assert "Rachel" not in visible_text(at)


def test_new_couple_form_creates_and_opens_the_couple(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo", page=NEW)
    at.text_input(key="p1.name").input("Ayo")
    at.text_input(key="p2.name").input("Bea")
    at.number_input(key="p1.weekly_hours").set_value(38)
    at.button(key="new.submit").click().run()
    assert not at.exception
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    assert "Ayo & Bea" in [r["label"] for r in couples.caseload(demo_db, actor)]


def test_a_second_click_just_after_a_new_couple_goes_on_to_it_and_makes_no_other(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo", page=NEW)
    at.text_input(key="p1.name").input("Ayo")
    at.text_input(key="p2.name").input("Bea")
    at.button(key="new.submit").click().run()
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    made = [r["id"] for r in couples.caseload(demo_db, actor) if r["label"] == "Ayo & Bea"]
    assert len(made) == 1 and at.session_state[state.COUPLE_ID] == made[0]
    # The second click's run reaches the New couple page again just after: it opens the couple
    # made by the first, instead of an empty form that invites making it again.
    at.switch_page(NEW).run()
    assert not at.exception
    assert "Ayo & Bea" in visible_text(at) and "Create couple" not in visible_text(at)
    assert [r["label"] for r in couples.caseload(demo_db, actor)].count("Ayo & Bea") == 1
    at.switch_page(NEW).run()  # a visit after that is a new couple again
    assert at.text_input(key="p11.name").value == ""


def test_new_couple_without_names_explains_and_writes_nothing(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo", page=NEW)
    before = demo_db.scalar("couples/count_for_counselor", whole_practice=True, counselor_id=0)
    at.text_input(key="p1.name").input("Ayo")
    at.button(key="new.submit").click().run()
    assert not at.exception
    assert any("Name is required" in text_of(e) for e in at.error)
    assert (
        demo_db.scalar("couples/count_for_counselor", whole_practice=True, counselor_id=0) == before
    )


def test_new_couple_with_two_partners_of_one_name_asks_to_tell_them_apart(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo", page=NEW)
    before = demo_db.scalar("couples/count_for_counselor", whole_practice=True, counselor_id=0)
    at.text_input(key="p1.name").input("Sam")
    at.text_input(key="p2.name").input("Sam")
    at.button(key="new.submit").click().run()
    assert not at.exception
    assert any(
        text_of(e).startswith("Second partner: Both partners are called Sam") for e in at.error
    )
    assert at.text_input(key="p2.name").value == "Sam"  # what was typed stays
    assert (
        demo_db.scalar("couples/count_for_counselor", whole_practice=True, counselor_id=0) == before
    )


def test_notes_over_the_limit_are_refused_with_a_message(demo_db, db_path):
    at, cid = rachel_and_marcus(demo_db, db_path)
    at.text_area(key="couple.notes").input("x" * 60_000)
    at.button(key="couple.save_notes").click().run()
    assert not at.exception
    assert any("too long" in text_of(e) for e in at.error)
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    assert couples.get(demo_db, actor, cid)["notes"].startswith("Moved to Seattle")


def test_archive_then_restore(demo_db, db_path):
    at, cid = rachel_and_marcus(demo_db, db_path, "Archive or delete")
    at.button(key="couple.archive").click().run()
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    assert couples.get(demo_db, actor, cid)["status"] == "archived"
    # The confirmation is carried to the run after the save (ui.once.next_run).
    assert [text_of(s) for s in at.success] == [
        "Archived: kept in full, hidden from the active caseload."
    ]
    assert any("links do not open" in text_of(w) for w in at.warning)
    # No new partner link for an archived couple: it would not open.
    at.switch_page("pages/3_Questionnaires.py").run()
    assert ARCHIVED_LINKS in [text_of(w) for w in at.warning]  # the rows still say sent, opened
    partner = couples.get(demo_db, actor, cid)["partners"][0]["id"]
    at.button(key=f"send.{partner}.go").click().run()
    assert not at.exception
    assert couples.ARCHIVED_NO_LINKS in [text_of(e) for e in at.error]
    at.switch_page(COUPLE).run()
    open_tab(at, "couple.tab", "Archive or delete")
    at.button(key="couple.restore").click().run()
    assert couples.get(demo_db, actor, cid)["status"] == "active"
    assert [text_of(s) for s in at.success] == ["Restored to the active caseload."]


def as_admin_on(db, db_path, cid: int, tab: str | None = None) -> AppTest:
    """The demo practice's admin on a couple's page (an admin may open every couple)."""
    at = signed_in(db, db_path, "admin")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(COUPLE).run()
    if tab:
        open_tab(at, "couple.tab", tab)
    return at


def test_a_counselor_cannot_delete_for_good_and_is_told_to_archive_and_ask_the_admin(
    demo_db, db_path
):
    at, cid = rachel_and_marcus(demo_db, db_path, "Archive or delete")
    assert not at.exception
    assert not [b for b in at.button if b.key == "couple.delete"]
    text = visible_text(at)
    assert "Only the practice's admin can erase a couple for good." in text
    assert "7 years after the last thing recorded for them" in text
    assert "archive them (above)" in text

    at.button(key="couple.ask").click().run()  # no reason chosen
    # A request needs a reason whatever the period: not the admin's "before … ends".
    assert [text_of(e) for e in at.error] == ["Choose why the couple should be erased."]
    at.selectbox(key="couple.request_reason").select("the couple asked")
    at.text_input(key="couple.request_note").input("Rachel wrote to us")
    at.button(key="couple.ask").click().run()
    assert any("names out of the note" in text_of(e) for e in at.error)
    at.text_input(key="couple.request_note").input("letter of 2 May")
    at.button(key="couple.ask").click().run()
    assert not at.exception
    assert any("Request sent" in text_of(s) for s in at.success)
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    (asked,) = erasure.requests(demo_db, admin)
    assert (asked["couple_id"], asked["reason"], asked["note"]) == (
        cid,
        "the couple asked",
        "letter of 2 May",
    )
    # Said to the counselor who asked as "You", not by their own name.
    assert any(text_of(i).startswith("You asked the admin on") for i in at.info)

    at.button(key="couple.withdraw_erasure").click().run()
    assert not at.exception
    assert erasure.requests(demo_db, admin) == []
    assert demo_db.one("couples/partners", couple_id=cid) is not None  # kept


def test_an_admin_deletes_for_good_with_the_typed_name_and_inside_the_period_a_reason(
    demo_db, db_path
):
    cid = couple_id(demo_db, "demo", "Rachel & Marcus")
    at = as_admin_on(demo_db, db_path, cid, "Archive or delete")
    assert "To erase them sooner, say why" in visible_text(at)
    at.text_input(key="couple.confirm_delete").input("Rachel")
    at.button(key="couple.delete").click().run()
    assert not at.exception
    assert any("Type the couple's name" in text_of(e) for e in at.error)
    at.text_input(key="couple.confirm_delete").input("rachel & marcus")
    at.button(key="couple.delete").click().run()  # no reason yet
    assert any("Choose why the couple is erased" in text_of(e) for e in at.error)
    assert demo_db.one("couples/partners", couple_id=cid) is not None
    at.selectbox(key="couple.erase_reason").select("the couple asked")
    at.button(key="couple.delete").click().run()
    assert not at.exception
    assert demo_db.one("couples/partners", couple_id=cid) is None
    assert "was deleted" in visible_text(at)
    (detail,) = [
        e["detail"]
        for e in audit.search(
            demo_db,
            accounts.authenticate(demo_db, "admin", "admin-password"),
            since=utcnow() - timedelta(days=1),
            until=utcnow() + timedelta(days=1),
            couple_id=cid,
        )
        if e["action"] == "delete"
    ]
    assert detail.startswith("inside the retention period (7 years")
    assert detail.endswith("; the couple asked")


def test_an_admin_sees_a_counselors_request_on_the_couple_and_may_decline_it(demo_db, db_path):
    cid = couple_id(demo_db, "demo", "Rachel & Marcus")
    demo = accounts.authenticate(demo_db, "demo", "demo-password")
    erasure.request(demo_db, demo, cid, "added by mistake", "a duplicate of no. 1")
    at = as_admin_on(demo_db, db_path, cid, "Archive or delete")
    assert any(
        text_of(i).startswith("Dana Demo asked on") and "added by mistake" in text_of(i)
        for i in at.info
    )
    # The request's reason and note stand in the erasure form.
    assert at.selectbox(key="couple.erase_reason").value == "added by mistake"
    assert at.text_input(key="couple.erase_note").value == "a duplicate of no. 1"
    at.button(key="couple.decline").click().run()
    assert not at.exception
    assert any("Request declined" in text_of(s) for s in at.success)
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    assert erasure.requests(demo_db, admin) == []


def test_edit_details_saves_and_says_so_on_the_next_run(demo_db, db_path):
    at, cid = rachel_and_marcus(demo_db, db_path, "Edit details")
    # Each column is headed by the partner's name: "Partner" over both said nothing.
    headings = [m.value for m in at.markdown]
    assert "**Rachel**" in headings and "**Marcus**" in headings and "**Partner**" not in headings
    at.text_input(key="e2.occupation").input("Ferry captain")
    at.button(key="couple.save").click().run()
    assert not at.exception
    assert [text_of(s) for s in at.success] == ["Changes saved."]
    # And a toast: the button is at the foot of a long form, the confirmation at the top.
    assert [t.value for t in at.toast] == ["Changes saved."]
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    assert couples.get(demo_db, actor, cid)["partners"][1]["occupation"] == "Ferry captain"


def test_new_couple_with_hours_or_a_name_past_the_limits_says_so_and_keeps_what_was_typed(
    demo_db, db_path
):
    # The widgets have no bounds of their own: in the browser a number outside them stopped
    # Save without a word and a longer pasted name left the box empty. Core says what is wrong.
    at = signed_in(demo_db, db_path, "demo", page=NEW)
    before = demo_db.scalar("couples/count_for_counselor", whole_practice=True, counselor_id=0)
    long_name = "Ayo " + "x" * 140
    at.text_input(key="p1.name").input(long_name)
    at.text_input(key="p2.name").input("Bea")
    at.number_input(key="p2.weekly_hours").set_value(200)
    at.button(key="new.submit").click().run()
    assert not at.exception
    said = " ".join(text_of(e) for e in at.error)
    assert "Weekly work hours" in said and "168" in said
    assert "Name" in said and "100" in said
    assert at.text_input(key="p1.name").value == long_name
    assert at.number_input(key="p2.weekly_hours").value == 200
    assert (
        demo_db.scalar("couples/count_for_counselor", whole_practice=True, counselor_id=0) == before
    )


def test_a_stale_link_does_not_show_the_couple_opened_before(demo_db, db_path):
    """A name clicked after its couple was erased (or moved) opens nothing: not the couple
    that was open before, under a notice that is easy to miss."""
    at = signed_in(demo_db, db_path, "demo")
    stale = token_of(at, "Amara & Jonah")
    open_link(at, "Rachel & Marcus")
    at.query_params.pop("open", None)
    at.switch_page("app.py").run()
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    erase_for_good(demo_db, admin, couple_id(demo_db, "demo", "Amara & Jonah"), "Amara & Jonah")
    at.query_params["open"] = stale
    at.switch_page(COUPLE).run()
    assert not at.exception
    assert any("another sign-in" in text_of(i) for i in at.info)
    assert "Rachel" not in visible_text(at)


def test_a_followed_link_is_looked_up_again_in_another_sign_in(demo_db, db_path):
    """The shortcut for reruns (state.FOLLOWED) holds for one sign-in: the same tab signed in
    anew (a password change, say) does not follow the old sign-in's link without checking."""
    at = signed_in(demo_db, db_path, "demo")
    token = token_of(at, "Rachel & Marcus")
    open_link(at, "Rachel & Marcus")
    old = at.session_state[state.ACTOR]
    at.session_state[state.ACTOR] = accounts.start_session(demo_db, old, accounts.session_expiry(1))
    at.query_params["open"] = token
    at.switch_page(COUPLE).run()
    assert not at.exception
    assert state.COUPLE_ID not in at.session_state
    assert "Rachel" not in visible_text(at)


def test_the_overview_gives_the_couples_number_the_audit_trail_files_it_under(demo_db, db_path):
    """The admin's audit trail filters by a couple's number: the overview shows it, so an admin
    (or a counselor asked for it) can find it."""
    from core import audit
    from core.clock import utcnow

    at, cid = rachel_and_marcus(demo_db, db_path)
    assert any(f"couple no. {cid}" in c.value for c in at.caption)
    admin = accounts.authenticate(demo_db, "admin", "admin-password")
    now = utcnow()
    entries = audit.search(
        demo_db, admin, since=now - timedelta(days=1), until=now + timedelta(days=1), couple_id=cid
    )
    assert entries and all(e["couple_ref"] == cid for e in entries)


def test_on_a_phone_each_couple_is_a_card_whose_facts_say_their_column():
    """Under 40em the caseload's rows are cards (the table was 48rem wide and scrolled the
    reasons and dates off a phone); the facts after the reasons are labelled by position, which
    the whole practice's Counselor column shifts; an empty fact is left out."""
    from ui import caseload

    mine = caseload.narrow_css(("Couple", "Alerts", "Why", "Last check\u2011in", "Satisfaction"))
    assert "@media (max-width: 40em)" in mine
    assert 'td:nth-child(4)::before { content: "Last check-in: "' in mine
    assert 'td:nth-child(5)::before { content: "Satisfaction: "' in mine
    practice = caseload.narrow_css(("Couple", "Counselor", "Alerts", "Why", "Last check\u2011in"))
    assert 'td:nth-child(2)::before { content: "Counselor: "' in practice
    assert 'td:nth-child(5)::before { content: "Last check-in: "' in practice
    assert caseload._cell("", "date").startswith('<td role="cell" class="date none">')
    assert caseload._cell("4 Nov 2026", "date") == '<td role="cell" class="date">4 Nov 2026</td>'


def test_a_message_quoting_a_name_shows_it_as_typed(demo_db, db_path):
    """Core's messages may quote a name: shown as Markdown, "Type the couple's name exactly as
    shown: Eve **B** $x^2$" put the name in bold with a formula (a review)."""
    actor = accounts.authenticate(demo_db, "demo", "demo-password")
    cid = couples.create(
        demo_db, actor, {"name": "Eve **B** $x^2$"}, {"name": "[Sam](https://x.example)"}
    )
    at = as_admin_on(demo_db, db_path, cid, "Archive or delete")
    at.text_input(key="couple.confirm_delete").input("Eve").run()
    at.button(key="couple.delete").click().run()
    assert not at.exception
    (said,) = [e.value for e in at.error if "Type the couple's name" in text_of(e)]
    assert r"Eve \*\*B\*\* \$x^2\$" in said and r"\[Sam\]\(https\:" in said
