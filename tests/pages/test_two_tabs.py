"""Two tabs of one counselor on the same record: the later save from a form drawn before the
other tab's save is refused with a calm message, and nothing of the other tab's is lost.
The same tab saving twice in a row is not refused."""

from __future__ import annotations

from core import agreements, decisions, sessions
from tests.pages.conftest import demo_actor, open_tab, visible_text
from tests.pages.test_issue5_pages import AGREEMENTS, DECISIONS, SESSIONS, couple_id, open_page

REFUSED = "was changed somewhere else"


def test_a_session_saved_in_another_tab_is_not_written_over(demo_db, db_path):
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Rachel & Marcus")
    sid = sessions.for_couple(demo_db, actor, cid)[0]["id"]
    before = sessions.get(demo_db, actor, cid, sid)
    tab_a = open_page(demo_db, db_path, SESSIONS)
    tab_b = open_page(demo_db, db_path, SESSIONS)

    tab_a.text_area(key=f"sessions.{sid}.notes").input(before["notes"] + "\nTAB A: Denver too.")
    tab_a.button(key=f"sessions.{sid}.save").click().run()
    assert not tab_a.exception and REFUSED not in visible_text(tab_a)

    tab_b.text_input(key=f"sessions.{sid}.focus").input("Focus from tab B")
    tab_b.button(key=f"sessions.{sid}.save").click().run()
    assert not tab_b.exception
    assert REFUSED in visible_text(tab_b)
    # Tab B keeps what it typed; the stored session is tab A's.
    assert tab_b.text_input(key=f"sessions.{sid}.focus").value == "Focus from tab B"
    now = sessions.get(demo_db, actor, cid, sid)
    assert now["notes"].endswith("TAB A: Denver too.") and now["focus"] == before["focus"]

    # Tab A saves again, over its own save (its form drawn afresh after it): no refusal.
    tab_a.text_input(key=f"sessions1.{sid}.focus").input("Focus from tab A")
    tab_a.button(key=f"sessions1.{sid}.save").click().run()
    assert REFUSED not in visible_text(tab_a)
    assert sessions.get(demo_db, actor, cid, sid)["focus"] == "Focus from tab A"

    # Tab B asks for the newer version: its form is drawn afresh from tab A's, and saves.
    tab_b.button(key=f"sessions.{sid}.edit.newer").click().run()
    assert not tab_b.exception and REFUSED not in visible_text(tab_b)
    assert tab_b.text_input(key=f"sessions1.{sid}.focus").value == "Focus from tab A"
    assert tab_b.text_area(key=f"sessions1.{sid}.notes").value.endswith("TAB A: Denver too.")
    assert not [b for b in tab_b.button if b.key.endswith(".newer")]
    tab_b.text_input(key=f"sessions1.{sid}.focus").input("Focus from tab B, after all")
    tab_b.button(key=f"sessions1.{sid}.save").click().run()
    assert REFUSED not in visible_text(tab_b)
    assert sessions.get(demo_db, actor, cid, sid)["focus"] == "Focus from tab B, after all"

    # Tab B reloaded (a new session of the page) starts from the newest and saves.
    tab_b = open_page(demo_db, db_path, SESSIONS)
    assert tab_b.text_input(key=f"sessions.{sid}.focus").value == "Focus from tab B, after all"
    tab_b.text_input(key=f"sessions.{sid}.focus").input("Focus after a reload")
    tab_b.button(key=f"sessions.{sid}.save").click().run()
    assert REFUSED not in visible_text(tab_b)
    assert sessions.get(demo_db, actor, cid, sid)["focus"] == "Focus after a reload"


def agreement_saved_in_tab_a(demo_db, db_path):
    """Two tabs on Zoë & Łukasz's first agreement; tab A has saved version 2.
    Returns (actor, couple id, agreement id, edit-form key, tab A, tab B)."""
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Zoë & Łukasz")
    aid = agreements.for_couple(demo_db, actor, cid)[0]["id"]
    key = f"agreements.edit.{aid}"
    # Each on the Edit tab (only the open tab is drawn), tab B's form drawn before tab A saves.
    tab_a, tab_b = (
        open_tab(
            open_page(demo_db, db_path, AGREEMENTS, label="Zoë & Łukasz"), "agreements.tab", "Edit"
        )
        for _ in range(2)
    )
    tab_a.text_area(key=f"{key}.body").input("We stay in Lisbon for eighteen months.")
    tab_a.button(key=f"{key}.save").click().run()
    assert REFUSED not in visible_text(tab_a)
    return actor, cid, aid, key, tab_a, tab_b


def test_an_agreement_version_saved_in_another_tab_is_not_undone(demo_db, db_path):
    actor, cid, aid, key, tab_a, tab_b = agreement_saved_in_tab_a(demo_db, db_path)

    tab_b.text_area(key=f"{key}.exit_plan").input("We review it at Christmas.")
    tab_b.button(key=f"{key}.save").click().run()
    assert not tab_b.exception
    assert REFUSED in visible_text(tab_b)
    assert tab_b.text_area(key=f"{key}.exit_plan").value == "We review it at Christmas."
    history = agreements.history(demo_db, actor, cid, aid)
    assert [v["version"] for v in history] == [1, 2]
    assert "eighteen months" in history[-1]["body"]
    # Tab B asks for the newer version: version 2, drawn afresh.
    tab_b.button(key=f"{key}.newer").click().run()
    assert REFUSED not in visible_text(tab_b)
    assert "eighteen months" in tab_b.text_area(key=f"agreements.edit1.{aid}.body").value

    # Tab A goes on editing its own version: saved as version 3.
    key_a = f"agreements.edit1.{aid}"  # the form is drawn afresh after a save (ui.once)
    tab_a.text_area(key=f"{key_a}.exit_plan").input("We review it at Easter.")
    tab_a.button(key=f"{key_a}.save").click().run()
    assert REFUSED not in visible_text(tab_a)
    assert [v["version"] for v in agreements.history(demo_db, actor, cid, aid)] == [1, 2, 3]


def test_a_decision_saved_in_another_tab_offers_the_newer_version(demo_db, db_path):
    actor = demo_actor(demo_db)
    cid = couple_id(demo_db, "Zoë & Łukasz")
    did = decisions.create(demo_db, actor, cid, "Offer in Porto", "relocation")
    tabs = []
    for _ in range(2):
        tab = open_page(demo_db, db_path, DECISIONS, label="Zoë & Łukasz")
        tab.selectbox(key=f"decisions.pick.{cid}").set_value(did).run()
        tabs.append(tab)
    tab_a, tab_b = tabs

    tab_a.text_area(key=f"decisions.{did}.facts").input("Two-year contract.")
    tab_a.button(key=f"decisions.{did}.save").click().run()
    assert REFUSED not in visible_text(tab_a)
    tab_b.text_area(key=f"decisions.{did}.outcome").input("We stay.")
    tab_b.button(key=f"decisions.{did}.save").click().run()
    assert REFUSED in visible_text(tab_b)
    assert tab_b.text_area(key=f"decisions.{did}.outcome").value == "We stay."  # kept

    tab_b.button(key=f"decisions.{did}.framework.newer").click().run()
    assert not tab_b.exception and REFUSED not in visible_text(tab_b)
    assert tab_b.text_area(key=f"decisions1.{did}.facts").value == "Two-year contract."
    assert tab_b.text_area(key=f"decisions1.{did}.outcome").value == ""
    assert decisions.get(demo_db, actor, cid, did)["outcome"] == ""


def test_an_unchanged_resend_from_a_stale_tab_keeps_it_drawn_from_its_version(demo_db, db_path):
    """Tab B sends its older text unchanged after tab A saved a version: nothing is saved, and
    B's next change is refused, not saved over A's version as if B had been drawn from it."""
    actor, cid, aid, key, _, tab_b = agreement_saved_in_tab_a(demo_db, db_path)

    tab_b.button(key=f"{key}.save").click().run()  # its older text, unchanged
    assert "Nothing changed" in visible_text(tab_b)
    tab_b.text_area(key=f"{key}.exit_plan").input("We review it at Christmas.")
    tab_b.button(key=f"{key}.save").click().run()
    assert REFUSED in visible_text(tab_b)
    assert [v["version"] for v in agreements.history(demo_db, actor, cid, aid)] == [1, 2]
