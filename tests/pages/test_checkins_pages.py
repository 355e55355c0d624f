"""The check-in pages in AppTest: the caseload by urgency, both charts for a demo couple, the
schedule and personal links, the locked hand-over, seasons and the ledger."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from core import checkins, couples, instruments, ledger, links, seasons
from tests.conftest import count
from tests.pages.conftest import (
    ROOT,
    caseload_rows,
    couple_named,
    demo_actor,
    fake_client,
    html_bodies,
    html_pinned,
    html_table,
    open_fold,
    open_tab,
    sidebar_links,
    signed_in,
    text_of,
    visible_text,
)
from ui import handover, state
from ui.tables import DASH

CHECKINS = "pages/4_Checkins.py"
EQUITY = "pages/6_Equity_and_trends.py"
SEASONS = "pages/7_Seasons_and_ledger.py"


def on_page(db, db_path, page: str, label: str = "Rachel & Marcus") -> AppTest:
    """Signed in as the demo counselor with a couple open, on one of its pages."""
    at = signed_in(db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = couple_named(db, label)["id"]
    at.switch_page(page).run()
    assert not at.exception
    return at


def charts_on(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def rows_shipped(at: AppTest, chart: int) -> int:
    """How many data rows the browser gets for a chart (its datasets travel as Arrow, beside
    the spec: counting them in the spec found 0 whatever was sent)."""
    element = at.get("vega_lite_chart")[chart]
    return sum(pa.ipc.open_stream(d.data.data).read_all().num_rows for d in element.proto.datasets)


def test_the_caseload_puts_the_couple_who_needs_attention_first(demo_db, db_path):
    at = signed_in(demo_db, db_path, "demo")
    assert not at.exception
    assert at.selectbox(key="caseload.sort").value == "attention"
    rows = caseload_rows(at)
    shown = [r["Couple"] for r in rows]
    order = [shown.index(label) for label in ("王芳 & Tomás", "Zoë & Łukasz", "Elif & Mateo")]
    assert order == sorted(order)
    assert "Safety answer" in rows[0]["alerts"]
    assert any(len(r["alerts"]) == 0 for r in rows)  # a couple with no alerts is listed too
    at.selectbox(key="caseload.sort").set_value("name").run()
    shown = [r["Couple"] for r in caseload_rows(at)]
    assert shown.index("Amara & Jonah") < shown.index("王芳 & Tomás")


def test_a_demo_couples_page_shows_the_equity_chart_beside_its_explanation_and_the_trends(
    demo_db, db_path
):
    at = on_page(demo_db, db_path, EQUITY)
    equity_spec, trends_spec = charts_on(at)
    assert "vconcat" in equity_spec and "Rachel has given more" in json.dumps(equity_spec)
    satisfaction = trends_spec["vconcat"][0]["title"]  # its subtitle wraps to the panel
    assert "not a published figure" in " ".join(satisfaction["subtitle"])
    text = visible_text(at)
    assert "How this is computed" in text and "not a verdict" in text
    assert "Now: " in text
    # The trends' last figures in words, under them (a chart's drawing has no text).
    assert re.search(r"Latest: Rachel \(week of .*satisfaction \d+(\.\d)? of 21", text), text
    # A year of weekly buckets: a point per partner and week, not every raw check-in.
    assert 0 < rows_shipped(at, 1) <= 2 * 54 * 6 + 2 * 6 * 10 + 10


def test_the_whole_history_is_drawn_in_monthly_buckets(demo_db, db_path):
    at = on_page(demo_db, db_path, EQUITY)
    at.button_group(key="equity.range").set_value("all").run()
    assert not at.exception
    equity_spec, trends_spec = charts_on(at)
    assert 0 < rows_shipped(at, 1) <= 2 * 75 * 6 + 2 * 6 * 10 + 10  # six years of months
    assert "One point per month" in visible_text(at)


def test_a_new_couple_without_data_gets_calm_messages_instead_of_charts(demo_db, db_path):
    actor = demo_actor(demo_db)
    cid = couples.create(demo_db, actor, {"name": "Ayo"}, {"name": "Bea"})
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(EQUITY).run()
    assert not at.exception and not charts_on(at)
    text = visible_text(at)
    assert "Nothing to balance yet" in text and "No check-ins in this time range yet" in text


def test_a_couple_without_a_schedule_gets_its_form_at_once(demo_db, db_path):
    cid = couples.create(demo_db, demo_actor(demo_db), {"name": "Ayo"}, {"name": "Bea"})
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(CHECKINS).run()
    assert not at.exception and not at.expander
    assert "No regular check-ins are scheduled" in visible_text(at)
    at.selectbox(key="checkins.cadence").set_value("weekly")
    at.button(key="checkins.save_schedule").click().run()
    assert not at.exception and checkins.get_schedule(demo_db, cid).cadence == "weekly"
    assert [e.label for e in at.expander] == ["Change the schedule"]  # now folded away


def test_the_checkins_page_sets_a_schedule_and_shows_a_new_personal_link_once(demo_db, db_path):
    at = on_page(demo_db, db_path, CHECKINS, "Seun & Grace")
    seun = couple_named(demo_db, "Seun & Grace")
    # A running schedule's form is drawn only when its expander is opened.
    assert not [s for s in at.selectbox if s.key == "checkins.cadence"]
    at = open_fold(at, "checkins.schedule.fold")
    at.selectbox(key="checkins.cadence").set_value("fortnightly")
    at.selectbox(key="checkins.timezone").set_value("Europe/London")
    at.button(key="checkins.save_schedule").click().run()
    assert not at.exception
    plan = checkins.get_schedule(demo_db, seun["id"])
    assert (plan.cadence, plan.timezone) == ("fortnightly", "Europe/London")

    grace = seun["partners"][1]
    at.button(key=f"checkins.issue.{grace['id']}").click().run()
    assert not at.exception
    codes = [c.value for c in at.code]
    url = next(c for c in codes if "/Questionnaire?t=" in c)
    token = url.rsplit("t=", 1)[1]
    assert checkins.open_standing(demo_db, token) is not None
    assert "Copy it now" in visible_text(at)
    # Grace's card says at once that her link is out (it said "No personal check-in link yet"
    # and offered *Create link* again, which would have stopped the link just sent).
    assert at.button(key=f"checkins.issue.{grace['id']}").label == "New link for Grace"
    assert "Personal link made" in visible_text(at)
    (recent,) = [b for b in html_bodies(at) if "tandem-recent" in b]
    head = re.findall(r'<th scope="col"( class="[^"]*")?>([^<]*)</th>', recent)
    # The safety answer sits beside who gave it, not past the table's right edge; who answered
    # when stays in sight (pinned) while a tablet scrolls the answers sideways.
    assert [h for _, h in head[:4]] == [
        "When", "Partner", "Safety (counselor only)", "Satisfaction (0–21)"
    ]  # fmt: skip
    assert [c for c, _ in head[:3]] == [' class="pin c0"', ' class="pin c1 pin-last"', ""]

    # Left and opened again, the page no longer shows the link ("cannot show it again").
    at.switch_page("pages/6_Equity_and_trends.py").run()
    at.switch_page(CHECKINS).run()
    assert not at.exception
    assert "Copy it now" not in visible_text(at)
    assert not any("/Questionnaire?t=" in c.value for c in at.code)


def test_a_hand_over_shows_only_the_partners_form_until_the_password_is_given(demo_db, db_path):
    # Amara & Jonah are due: the demo's other couples sent this period's check-ins already.
    at = on_page(demo_db, db_path, CHECKINS, "Amara & Jonah")
    jonah = couple_named(demo_db, "Amara & Jonah")["partners"][1]
    at.button(key=f"checkins.handover.{jonah['id']}").click().run()
    assert not at.exception
    text = visible_text(at)
    assert "Hello Jonah." in text
    assert "Amara" not in text and "Recent check-ins" not in text
    assert not at.sidebar.button and not sidebar_links(at) and not at.get("page_link")

    at.switch_page("app.py").run()  # every counselor page stays locked
    assert (
        not at.exception
        and "Caseload" not in visible_text(at)
        and "Hello Jonah." in visible_text(at)
    )

    at.text_input(key="handover.password").input("wrong password")
    at.button(key="handover.end_submit").click().run()
    assert at.error and "Hello Jonah." in visible_text(at)
    at.text_input(key="handover.password").input("demo-password")
    at.button(key="handover.end_submit").click().run()
    assert not at.exception
    assert "Caseload" in visible_text(at) and at.sidebar.button


def test_after_the_partner_sends_the_check_in_the_device_goes_back_with_the_password(
    demo_db, db_path
):
    at = on_page(demo_db, db_path, CHECKINS, "Amara & Jonah")
    amara = couple_named(demo_db, "Amara & Jonah")["partners"][0]
    before = count(demo_db, "checkins")
    at.button(key=f"checkins.handover.{amara['id']}").click().run()
    token = at.session_state[handover.TOKEN]
    for item in instruments.load("checkin").items:
        if item.required:
            links.save_answer(demo_db, token, item.id, item.options[0].value if item.options else 5)
    assert links.submit(demo_db, token)
    at.run()
    assert "Thank you, Amara" in visible_text(at)
    assert "hand the device back" in visible_text(at)
    at.text_input(key="handover.password").input("demo-password")
    at.button(key="handover.end_submit").click().run()
    assert not at.exception and "Who is due" in visible_text(at)
    assert count(demo_db, "checkins") == before + 1


def test_the_seasons_page_refuses_an_overlap_in_words_and_saves_a_season_that_fits(
    demo_db, db_path
):
    at = on_page(demo_db, db_path, SEASONS, "Kenji & Laila")
    kenji = couple_named(demo_db, "Kenji & Laila")
    actor = demo_actor(demo_db)
    from datetime import date

    seasons.create(
        demo_db,
        actor,
        kenji["id"],
        {"lead": "balanced", "starts_on": date(2024, 1, 1), "title": "Steady years"},
    )
    at.run()
    assert "Steady years" in visible_text(at)
    k = "season.0."
    at.text_input(key=k + "title").input("Laila's care year")
    at.radio(key=k + "lead").set_value(kenji["partners"][1]["id"])
    at.date_input(key=k + "starts").set_value(date(2025, 3, 1))
    at.button(key=k + "save").click().run()
    assert not at.exception
    assert any("overlap the season “Steady years”" in text_of(e) for e in at.error)
    assert len(seasons.for_couple(demo_db, actor, kenji["id"])) == 1

    at.date_input(key=k + "starts").set_value(date(2023, 3, 1))
    at.date_input(key=k + "ends").set_value(date(2023, 12, 31))
    at.button(key=k + "save").click().run()
    assert not at.exception and not at.error
    titles = [s["title"] for s in seasons.for_couple(demo_db, actor, kenji["id"])]
    assert titles == ["Laila's care year", "Steady years"]


def test_the_ledger_tab_logs_an_event(demo_db, db_path):
    at = open_tab(
        on_page(demo_db, db_path, SEASONS, "Seun & Grace"), "seasons_ledger.tab", "Ledger"
    )
    seun = couple_named(demo_db, "Seun & Grace")
    k = "ledger.0."
    at.radio(key=k + "giver").set_value(seun["partners"][0]["id"])
    at.selectbox(key=k + "kind").set_value("declined_offer")
    at.radio(key=k + "size").set_value(3)
    at.text_input(key=k + "note").input("Said no to the foreign posting")
    at.button(key=k + "save").click().run()
    assert not at.exception
    (event,) = ledger.for_couple(demo_db, demo_actor(demo_db), seun["id"])
    assert (event["kind"], event["size"], event["note"]) == (
        "declined_offer",
        3,
        "Said no to the foreign posting",
    )
    (row,) = html_table(at, "tandem-ledger")
    assert row["Note"] == "Said no to the foreign posting"
    assert row["Acknowledged"] == "not yet" and row["Repaid"] == "not yet"
    assert html_pinned(at, "tandem-ledger") == {"Date", "Who gave"}


@pytest.mark.parametrize("page", [CHECKINS, EQUITY, SEASONS])
def test_another_counselors_couple_is_not_available(demo_db, db_path, page):
    at = signed_in(demo_db, db_path, "riley")
    at.session_state[state.COUPLE_ID] = couple_named(demo_db, "Rachel & Marcus")["id"]
    at.switch_page(page).run()
    assert not at.exception
    assert "not available to you" in visible_text(at) and "Marcus" not in visible_text(at)


def test_a_standing_link_opens_this_periods_check_in_and_then_says_when_the_next_opens(
    demo_db, db_path, monkeypatch
):
    fake_client(monkeypatch, "203.0.113.9")
    overdue = couple_named(demo_db, "Amara & Jonah")
    amara = overdue["partners"][0]
    issued = checkins.issue_standing(demo_db, demo_actor(demo_db), overdue["id"], amara["id"])

    def partner_page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages" / "5_Questionnaire.py"), default_timeout=30)
        at.secrets["database_path"] = str(db_path)
        at.query_params["t"] = issued.token
        at.run()
        assert not at.exception
        return at

    at = partner_page()
    text = visible_text(at)
    assert "Hello Amara." in text and "Jonah" not in text and "Check-in" in text
    opened = checkins.open_standing(demo_db, issued.token)
    for item in instruments.load("checkin").items:
        if item.required:
            links.save_answer(
                demo_db, opened.period_token, item.id, item.options[0].value if item.options else 4
            )
    assert links.submit(demo_db, opened.period_token)
    assert "The next one opens on" in visible_text(partner_page())


def test_an_empty_season_or_ledger_form_saves_nothing_and_asks_for_the_choice(demo_db, db_path):
    # Neither partner is chosen for the counselor: a Save straight away recorded the
    # first-listed partner as leading (or as having given something up).
    at = on_page(demo_db, db_path, SEASONS, "Seun & Grace")
    seun = couple_named(demo_db, "Seun & Grace")
    actor = demo_actor(demo_db)
    seasons_before = len(seasons.for_couple(demo_db, actor, seun["id"]))
    assert at.radio(key="season.0.lead").value is None
    at.button(key="season.0.save").click().run()
    assert not at.exception
    assert any(e.value == "Choose whose career leads, or Balanced." for e in at.error)
    assert len(seasons.for_couple(demo_db, actor, seun["id"])) == seasons_before

    open_tab(at, "seasons_ledger.tab", "Ledger")
    assert at.radio(key="ledger.0.giver").value is None
    assert at.selectbox(key="ledger.0.kind").value is None
    at.button(key="ledger.0.save").click().run()
    assert not at.exception
    said = " ".join(text_of(e) for e in at.error)
    assert "Choose who gave." in said and "Choose what happened" in said
    assert ledger.for_couple(demo_db, actor, seun["id"]) == []


def test_stopping_a_personal_check_in_link_asks_first_then_says_it_is_done(demo_db, db_path):
    couple = couple_named(demo_db, "Amara & Jonah")
    amara = couple["partners"][0]
    actor = demo_actor(demo_db)
    checkins.issue_standing(demo_db, actor, couple["id"], amara["id"])
    at = on_page(demo_db, db_path, CHECKINS, "Amara & Jonah")
    at.button(key=f"checkins.revoke.{amara['id']}").click().run()
    assert not at.exception
    assert any("Stop Amara's personal check-in link?" in text_of(w) for w in at.warning)
    assert amara["id"] in checkins.standing_for_couple(demo_db, actor, couple["id"])
    yes, keep = (at.button(key=f"checkins.stopping.{amara['id']}.{k}") for k in ("yes", "no"))
    assert (yes.label, keep.label) == ("Yes, stop Amara's link", "Keep Amara's link")
    yes.click().run()
    assert not at.exception
    assert [t.value for t in at.toast] == ["Amara's personal link is stopped: it no longer opens."]
    assert amara["id"] not in checkins.standing_for_couple(demo_db, actor, couple["id"])


def test_each_partners_buttons_name_the_partner(demo_db, db_path):
    """A screen reader lists the buttons of both partners' cards together: two "New link" or
    "Fill in here" buttons could not be told apart."""
    couple = couple_named(demo_db, "Amara & Jonah")
    amara, jonah = couple["partners"]
    checkins.issue_standing(demo_db, demo_actor(demo_db), couple["id"], amara["id"])
    at = on_page(demo_db, db_path, CHECKINS, "Amara & Jonah")
    per_partner = {
        b.key: b.label
        for b in at.button
        if b.key.rsplit(".", 1)[-1] in (str(amara["id"]), str(jonah["id"]))
    }
    assert {k: v for k, v in per_partner.items() if k.endswith(str(amara["id"]))} == {
        f"checkins.issue.{amara['id']}": "New link for Amara",
        f"checkins.revoke.{amara['id']}": "Stop Amara's link",
        f"checkins.handover.{amara['id']}": "Amara fills in here",
    }
    assert per_partner[f"checkins.handover.{jonah['id']}"] == "Jonah fills in here"
    assert len(set(per_partner.values())) == len(per_partner)
    # A new link for each (the demo has no e-mail address for them): the buttons that send
    # the links say whose each one is, not "E-mail it" twice.
    for partner in (amara, jonah):
        at.button(key=f"checkins.issue.{partner['id']}").click().run()
        assert not at.exception
    sends = [b.proto.label for b in at.get("link_button")]
    assert sends == ["E-mail Amara", "E-mail Jonah"]


def test_an_events_repaid_by_list_offers_only_later_events_of_the_other_partner(demo_db, db_path):
    from datetime import date

    seun = couple_named(demo_db, "Seun & Grace")
    actor = demo_actor(demo_db)
    first, second = (p["id"] for p in seun["partners"])

    def log(giver, day):
        raw = {"occurred_on": day, "giver": giver, "size": 2, "kind": "declined_offer"}
        return ledger.create(demo_db, actor, seun["id"], raw)

    given = log(first, date(2024, 5, 1))
    earlier_by_other = log(second, date(2024, 1, 1))
    later_by_same = log(first, date(2024, 9, 1))
    later_by_other = log(second, date(2024, 9, 1))
    at = open_tab(
        on_page(demo_db, db_path, SEASONS, "Seun & Grace"), "seasons_ledger.tab", "Ledger"
    )
    at.selectbox(key="ledger.pick").set_value(given).run()
    offered = at.selectbox(key=f"ledger.{given}.repaid").options
    assert len(offered) == 2 and offered[0] == "Not repaid yet"  # and the later one by the other
    labels = {
        e["id"]: ledger.describe(e, {first: "Seun", second: "Grace"})
        for e in ledger.for_couple(demo_db, actor, seun["id"])
    }
    assert offered[1] == labels[later_by_other]
    assert labels[earlier_by_other] not in offered and labels[later_by_same] not in offered


def test_a_couple_with_a_season_and_no_check_ins_is_told_why_the_felt_fairness_is_empty(
    demo_db, db_path
):
    from datetime import date

    actor = demo_actor(demo_db)
    cid = couples.create(demo_db, actor, {"name": "Ayo"}, {"name": "Bea"})
    lead = couples.get(demo_db, actor, cid)["partners"][0]["id"]
    seasons.create(demo_db, actor, cid, {"lead": lead, "starts_on": date(2026, 1, 5)})
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = cid
    at.switch_page(EQUITY).run()
    assert not at.exception and charts_on(at)
    assert "no check-ins in this time range yet, so it is empty" in visible_text(at)


def test_an_event_that_repays_two_sacrifices_names_both(demo_db, db_path):
    """One move can make up for two declined offers: the repaying event's row named only one
    (walkthrough, 2026-11-23)."""
    actor = demo_actor(demo_db)
    seun = couple_named(demo_db, "Seun & Grace")
    a, b = (p["id"] for p in seun["partners"])

    def log(giver, day, **extra):
        raw = {"giver": giver, "kind": "declined_offer", "size": 2, "occurred_on": day, **extra}
        return ledger.create(demo_db, actor, seun["id"], raw)

    first, second = log(a, "2021-09-11"), log(a, "2022-10-18")
    move = log(b, "2025-10-18")
    for event in (first, second):
        row = next(e for e in ledger.for_couple(demo_db, actor, seun["id"]) if e["id"] == event)
        raw = {
            "giver": row["giver_partner_id"],
            "kind": row["kind"],
            "size": row["size"],
            "occurred_on": row["occurred_on"],
            "repaid_by": move,
        }
        ledger.update(demo_db, actor, seun["id"], event, raw)
    at = open_tab(
        on_page(demo_db, db_path, SEASONS, "Seun & Grace"), "seasons_ledger.tab", "Ledger"
    )
    table = html_table(at, "tandem-ledger")
    repaid = [r["Repaid"] for r in table if r["Date"] == "18 Oct 2025"]
    name = dict((p["id"], p["name"]) for p in seun["partners"])[a]
    assert repaid == [
        f"repays 11 Sep 2021 · {name}: Declined an offer (medium); "
        f"18 Oct 2022 · {name}: Declined an offer (medium)"
    ], repaid
    # The other way, in the same form.
    (earlier,) = [r["Repaid"] for r in table if r["Date"] == "11 Sep 2021"]
    assert earlier.startswith("repaid by 18 Oct 2025 · "), earlier


def test_the_recent_check_ins_table_escapes_pins_and_marks_safety():
    """An HTML table (it was a data grid): people's words escaped, an answer not given a dash,
    no safety concern blank and one in red, figures right-aligned, when and who pinned left."""
    from ui import recent_checkins

    rows = [
        ("18 Nov 2026", "<b>Ana</b>", "⚠ Often", "11", None, "6", "2", "7", "60", "Mine", ""),
        ("16 Nov 2026", "Bo", "", "17", "8", "2", "3", "4", "53", "My partner's", "Together"),
    ]
    body = recent_checkins.table_html(rows, "Newest")
    assert "<b>Ana</b>" not in body and "&lt;b&gt;Ana&lt;/b&gt;" in body
    first, second = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1])
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", first)
    assert cells[:5] == ["18 Nov 2026", "&lt;b&gt;Ana&lt;/b&gt;", "⚠ Often", "11", DASH]
    assert cells[-1] == DASH  # no last big decision named
    assert '<td class="flag">⚠ Often</td>' in first and "<td></td>" in second
    assert '<td class="pin c0">16 Nov 2026</td>' in second
    assert '<th scope="row" class="pin c1 pin-last">Bo</th>' in second
    assert '<td class="num">17</td>' in second and "<td>My partner&#x27;s</td>" in second


def test_the_checkins_page_says_its_days_are_the_couples_where_the_counselors_clock_differs(
    demo_db, db_path, monkeypatch
):
    """The page dates check-ins on the couple's clock (their periods'), the other pages on
    the counselor's: where the two differ, this page says whose days it shows."""
    import ui.widgets

    couple = couple_named(demo_db, "Rachel & Marcus")
    plan, _, _ = checkins.overview(demo_db, demo_actor(demo_db), couple["id"])
    note = f"Dates on this page are on the couple's clock ({plan.timezone})"
    monkeypatch.setattr(ui.widgets, "browser_zone", lambda: "Australia/Sydney")
    assert note in visible_text(on_page(demo_db, db_path, CHECKINS))
    monkeypatch.setattr(ui.widgets, "browser_zone", lambda: plan.timezone)
    assert "Dates on this page" not in visible_text(on_page(demo_db, db_path, CHECKINS))


def test_whose_career_leads_is_said_by_name_in_recent_check_ins(demo_db, db_path):
    """Each partner's own "Mine" and "My partner's" side by side read as a disagreement."""
    at = signed_in(demo_db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = couple_named(demo_db, "Rachel & Marcus")["id"]
    at.switch_page("pages/4_Checkins.py").run()
    assert not at.exception
    rows = html_table(at, "tandem-recent")
    leads = {r["Whose career leads"] for r in rows} - {"—", ""}
    assert leads and leads <= {"Rachel's", "Marcus's", "Balanced between us", "Neither, right now"}
    decided = {r["Last big decision"] for r in rows} - {"—", ""}
    assert not decided & {"Mostly by me", "Mostly by my partner"}
