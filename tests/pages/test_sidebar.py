"""The sidebar: page links for the actor's role; under serve.py one HTML element with the page on
screen marked and nothing in it taken from a name as HTML; without serve.py's page script,
Streamlit's page links (plain links would load the whole app again on every click)."""

from __future__ import annotations

from core.accounts import Actor
from tests.pages.conftest import sidebar_links, signed_in
from tests.pages.test_issue5_pages import AGREEMENTS, open_page
from ui import sidebar

OWN = ["Caseload", "New couple", "My account"]
COUPLE = [label for _, label, _ in sidebar.COUPLE_LINKS]


def labels(at) -> list[str]:
    return [link.label for link in sidebar_links(at)]


def test_a_counselor_sees_their_own_pages_and_the_caseload_is_marked_as_the_page_on_screen(
    demo_db, db_path, served
):
    at = signed_in(demo_db, db_path, "demo")
    assert not at.exception
    assert labels(at) == OWN
    links = {link.label: link for link in sidebar_links(at)}
    assert links["Caseload"].current and not links["My account"].current
    assert links["Caseload"].href == "/" and links["My account"].href == "/Account"
    # One element for the whole sidebar but the sign-out button.
    assert len(at.sidebar.get("html")) == 1 and not at.sidebar.get("page_link")
    assert [b.key for b in at.sidebar.button] == ["sign_out"]


def test_an_open_couple_adds_its_pages_and_the_page_on_screen_is_marked(demo_db, db_path, served):
    at = open_page(demo_db, db_path, AGREEMENTS)
    assert not at.exception
    assert labels(at) == ["Caseload", *COUPLE, "New couple", "My account"]
    marked = [link.label for link in sidebar_links(at) if link.current]
    assert marked == ["Agreements"]
    hrefs = {link.label: link.href for link in sidebar_links(at)}
    assert hrefs["Equity and trends"] == "/Equity_and_trends"
    assert hrefs["Overview"] == "/Couple"


def test_only_an_admin_sees_the_admin_page(demo_db, db_path, served):
    assert "Admin" not in labels(signed_in(demo_db, db_path, "demo"))
    at = signed_in(demo_db, db_path, "admin")
    assert labels(at)[-1] == "Admin"


def test_without_the_page_script_the_same_links_are_streamlits_page_links(demo_db, db_path):
    at = open_page(demo_db, db_path, AGREEMENTS)
    assert not at.exception
    assert not at.sidebar.get("html")
    assert [el.proto.label for el in at.sidebar.get("page_link")] == [
        "Caseload",
        *COUPLE,
        "New couple",
        "My account",
    ]
    assert [b.key for b in at.sidebar.button] == ["sign_out"]


def test_names_are_text_and_links_follow_the_apps_base_path():
    admin = Actor(1, "x", "<img src=x onerror=alert(1)>", "admin")
    html = sidebar.sidebar_html(
        sidebar.link_groups(admin, couple_open=True),
        "Ada & <b>Co</b>",
        "Signed in as <strong>&lt;me&gt;</strong>",
        root="/tandem/",
        current="pages/6_Equity_and_trends.py",
    )
    assert "Ada &amp; &lt;b&gt;Co&lt;/b&gt;" in html and "<b>Co</b>" not in html
    assert 'href="/tandem/Equity_and_trends" data-in-app aria-current="page"' in html
    assert 'href="/tandem/" data-in-app>' in html  # the caseload, at the app's root
    assert 'href="/tandem/Admin"' in html
    assert html.count("data-in-app") == 1 + len(sidebar.COUPLE_LINKS) + 2 + 1
