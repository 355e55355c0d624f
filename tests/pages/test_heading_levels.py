"""Every screen's headings run in order, h1 then h2 then h3, with no level skipped (an
accessibility audit, WCAG 1.3.1): a screen reader's list of headings is a page's outline, and
sections that went from the page's h1 straight to h3 read as if a level were missing. Each
counselor page is read with each of its tabs open; the sign-in, the caseload and a partner's
form (its welcome, a part and its end) too."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from core import instruments
from tests.pages.conftest import PAGES, couple_named, new_app, open_tab, signed_in
from tests.pages.test_partner_page import answer, key, open_page
from ui import state

HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.I | re.S)
MARKDOWN_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$", re.M)
# A lazy tab group's id ends with its key (ui.widgets.lazy_tabs: the key ends ".tab").
TAB_KEY = re.compile(r"^\$\$ID-[0-9a-f]+-(.+\.tab)$")
# Tab groups opened per page at most: every page has one or two (Decisions has a nested one).
MOST_TAB_GROUPS = 6


def _walk(node):
    yield node
    children = getattr(node, "children", None) or {}
    for i in sorted(children):
        yield from _walk(children[i])


def headings(at: AppTest) -> list[tuple[int, str]]:
    """The screen's headings in the order a screen reader lists them (the sidebar's first), as
    (level, text): Streamlit's titles and headers, Markdown headings, and HTML ones."""
    found: list[tuple[int, str]] = []
    for node in [*_walk(at.sidebar), *_walk(at.main)]:
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__ if proto is not None else ""
        if kind == "Heading":
            found.append((int(proto.tag[1]), proto.body.replace("\\", "")))  # no escapes
        elif kind == "Html":
            found += [(int(n), text) for n, text in HTML_HEADING.findall(proto.body)]
        elif kind in ("Markdown", "Alert"):
            found += [(len(marks), text) for marks, text in MARKDOWN_HEADING.findall(proto.body)]
            if getattr(proto, "allow_html", False):
                found += [(int(n), text) for n, text in HTML_HEADING.findall(proto.body)]
    return found


def skipped(found: list[tuple[int, str]]) -> str | None:
    """What is wrong with a screen's outline (no heading, not one h1 first, a level skipped),
    or None."""
    if not found:
        return "no heading at all"
    if found[0][0] != 1 or sum(level == 1 for level, _ in found) != 1:
        return f"not one h1, first: {found}"
    before = 0
    for level, text in found:
        if level > before + 1:
            return f"h{level} {text!r} comes after an h{before}: {found}"
        before = level
    return None


def test_the_outline_check_finds_a_skipped_level():
    assert skipped([(1, "Page"), (2, "Section"), (3, "Part"), (2, "Next")]) is None
    assert "after an h1" in skipped([(1, "Page"), (3, "Section")])
    assert "not one h1" in skipped([(2, "Section")])
    assert "not one h1" in skipped([(1, "Page"), (1, "Again")])


def _tab_groups(at: AppTest) -> dict[str, list[str]]:
    """The lazy tab groups on screen: key -> their tabs' labels."""
    groups = {}
    for node in _walk(at.main):
        if getattr(node, "type", "") == "tab_container":
            match = TAB_KEY.match(node.proto.id)
            if match:
                groups[match[1]] = [tab.label for tab in node.children.values()]
    return groups


def every_tab(at: AppTest) -> list[tuple[str, list[tuple[int, str]]]]:
    """The screen's headings as it is, then with each tab of each lazy tab group open (groups
    that appear in an opened tab included): (what was open, its headings)."""
    screens = [("as opened", headings(at))]
    seen: set[str] = set()
    while len(seen) < MOST_TAB_GROUPS:
        fresh = {k: v for k, v in _tab_groups(at).items() if k not in seen}
        if not fresh:
            break
        group, labels = next(iter(fresh.items()))
        seen.add(group)
        for label in labels:
            open_tab(at, group, label)
            assert not at.exception, (group, label)
            screens.append((f"{group} = {label}", headings(at)))
    return screens


def test_the_sign_in_and_the_caseload_run_h1_then_h2(demo_db, db_path):
    at = new_app(db_path)
    at.run()
    assert headings(at) == [(1, "Tandem"), (2, "Sign in")]
    at = signed_in(demo_db, db_path, "demo")
    assert skipped(headings(at)) is None, headings(at)


@pytest.mark.parametrize("page", PAGES)
def test_no_counselor_page_skips_a_heading_level_in_any_tab(demo_db, db_path, page):
    at = signed_in(demo_db, db_path, "admin" if "Admin" in page else "demo")
    at.session_state[state.COUPLE_ID] = couple_named(demo_db, "Rachel & Marcus")["id"]
    at.switch_page(page).run()
    assert not at.exception
    for opened, found in every_tab(at):
        assert skipped(found) is None, (page, opened, skipped(found))


def test_each_screen_of_a_partners_form_has_one_h1_and_nothing_under_it_skips(db_path, issue):
    token = issue("csi4").token
    form = instruments.load("csi4")  # one part: the welcome, the part, the thanks
    at = open_page(db_path, token)
    assert headings(at) == [(1, form.title)]
    at.button(key=key(token, "start")).click().run()
    assert headings(at) == [(1, form.sections[0].title)]  # a part's own title
    at.button(key=key(token, "next")).click().run()  # stopped: nothing answered yet
    assert at.error and headings(at) == [(1, form.sections[0].title)]
    for item in form.sections[0].items:
        answer(at, token, item.id, 3)
    at.button(key=key(token, "next")).click().run()
    assert not at.exception and at.success  # sent
    assert headings(at) == [(1, form.title)]
