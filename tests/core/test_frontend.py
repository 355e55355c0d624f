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
    assert "const partner=location.pathname.replace(/\\/+$/,'').endsWith(\"/Questionnaire\")" in (
        script
    )
    # The charts' code (~1 MB) and the caseload's table are never sent to a partner's phone
    # ahead of time, neither at once nor once the welcome screen is idle.
    chart = frontend.element_files(("ArrowVegaLiteChart",))[0]
    table = frontend.element_files(("DataFrame",))[0]
    for_partner = script.split("const files=partner?", 1)[1].split("]:", 1)[0]
    first, counselor_first = script.split("for(const f of (partner?", 1)[1].split("]:", 1)
    counselor_first = counselor_first.split("]", 1)[0]
    for ahead in (for_partner, first, counselor_first):
        assert chart not in ahead and table not in ahead
    assert all(f in for_partner for f in partner)
    assert all(f in first for f in frontend.first_screen_files(frontend.PARTNER_FIRST))
    # Other pages fetch the caseload's first screen at once, the charts' code once idle.
    assert all(f in counselor_first for f in frontend.first_screen_files(frontend.COUNSELOR_FIRST))
    assert chart in script.split("const files=partner?", 1)[1].split("]:", 1)[1]
    assert table not in script


def test_the_first_screens_code_is_every_file_its_elements_import():
    """What a partner's first screen waits for: the element files, and each file one of them
    imports, found in the installed Streamlit; never what index.html loads anyway."""
    static = frontend._static_folder()
    js = static / "static" / "js"
    index = (static / "index.html").read_text(encoding="utf-8")
    for names in (frontend.PARTNER_FIRST, frontend.COUNSELOR_FIRST, ("DataFrame",)):
        files = frontend.first_screen_files(names)
        elements = frontend.element_files(names)
        assert [f.split(".")[0] for f in elements] == list(names)
        assert files[: len(elements)] == elements
        assert len(set(files)) == len(files)
        for name in files:
            assert (js / name).is_file()
            assert f"/{name}" not in index  # index.html has the browser load it already
            for imported in frontend._STATIC_IMPORT.findall((js / name).read_text()):
                assert imported in files or f"/{imported}" in index, (name, imported)
    # The welcome screen is the Start button and the phone styles, nothing bigger.
    first = frontend.first_screen_files(frontend.PARTNER_FIRST)
    assert len(first) <= 5 and any(f.startswith("purify.") for f in first)


def test_the_script_is_one_text_for_every_visitor():
    """It is allowed by its hash in the Content-Security-Policy, so it must not vary by page."""
    assert frontend.page_script() == frontend.page_script("")
    assert frontend.page_script("/x/") != frontend.page_script()
