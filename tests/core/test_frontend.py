"""Tandem's page script (core/frontend.py): where the server is, and which of Streamlit's element
files to load ahead, found in the installed Streamlit."""

import re

from core import frontend


def test_every_element_named_has_its_file_in_the_installed_streamlit():
    """A Streamlit upgrade that renames an element's file shows up here, not as a silent loss."""
    for names in (frontend.PARTNER_ELEMENTS, frontend.COUNSELOR_ELEMENTS):
        files = frontend.element_files(names)
        assert [f.split(".")[0] for f in files] == list(names)
        assert all(re.fullmatch(r"[A-Za-z]+\.[A-Za-z0-9_-]+\.js", f) for f in files)


def test_the_partner_page_loads_only_its_form_elements_ahead():
    script = frontend.page_script()
    partner = frontend.element_files(frontend.PARTNER_ELEMENTS)
    assert '.endsWith("/Questionnaire")' in script
    assert all(f in script for f in partner)
    # The charts' code (~1 MB) is never sent to a partner's phone ahead of time.
    chart = frontend.element_files(("ArrowVegaLiteChart",))[0]
    ahead_for_partner = script.split('endsWith("/Questionnaire")?', 1)[1].split(":", 1)[0]
    assert chart not in ahead_for_partner and partner[0] in ahead_for_partner


def test_the_script_is_one_text_for_every_visitor():
    """It is allowed by its hash in the Content-Security-Policy, so it must not vary by page."""
    assert frontend.page_script() == frontend.page_script("")
    assert frontend.page_script("/x/") != frontend.page_script()
