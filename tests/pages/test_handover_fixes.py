"""The hand-over in AppTest: no way from it to counselor pages without the password (also after
sending), the box's own pause instead of the account's, a reload that loses nothing, no second
check-in in a period, and partners who share a first name told apart on the Check-ins page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import accounts, checkins, couples, instruments, links
from tests.conftest import rows
from tests.pages.conftest import (
    couple_named,
    demo_actor,
    new_app,
    sidebar_links,
    signed_in,
    text_of,
    visible_text,
)
from ui import handover, state
from ui.widgets import plain

CHECKINS = "pages/4_Checkins.py"
DUE = "Amara & Jonah"  # the demo couple whose check-ins are due (the others sent theirs)
COUNSELOR_ONLY = ("Recent check-ins", "Who is due", "Safety", "Caseload", "Jonah", "Sign out")


def on_checkins(db, db_path, label: str = DUE) -> AppTest:
    at = signed_in(db, db_path, "demo")
    at.session_state[state.COUPLE_ID] = couple_named(db, label)["id"]
    at.switch_page(CHECKINS).run()
    assert not at.exception
    return at


def handed_to_amara(db, db_path) -> tuple[AppTest, str]:
    at = on_checkins(db, db_path)
    amara = couple_named(db, DUE)["partners"][0]
    at.button(key=f"checkins.handover.{amara['id']}").click().run()
    assert not at.exception
    return at, at.session_state[handover.TOKEN]


def answer_required(db, token: str) -> None:
    for item in instruments.load("checkin").items:
        if item.required:
            links.save_answer(db, token, item.id, item.options[0].value if item.options else 5)


def assert_locked(at: AppTest) -> None:
    """Only the partner's screen: no sidebar, no links, nothing of the counselor's view."""
    assert not at.exception
    text = visible_text(at)
    assert not [word for word in COUNSELOR_ONLY if word in text], text
    assert not at.sidebar.button and not sidebar_links(at) and not at.get("page_link")
    assert not at.dataframe


def take_back(at: AppTest, password: str, button: str = "handover.end_submit") -> AppTest:
    at.text_input(key="handover.password").input(password)
    return at.button(key=button).click().run()


def test_after_sending_the_partner_is_asked_to_hand_back_and_nothing_opens_without_the_password(
    demo_db, db_path
):
    at, token = handed_to_amara(demo_db, db_path)
    answer_required(demo_db, token)
    assert links.submit(demo_db, token)
    at.run()
    text = visible_text(at)
    assert "Thank you, Amara" in text and "Please hand the device back" in text
    assert "Back to the counselor view" not in text
    assert [b.key for b in at.button] == ["handover.end_submit"]  # the password box only
    assert_locked(at)

    take_back(at, "")  # an empty tap of the box opens nothing
    assert at.error
    assert_locked(at)
    for page in ("app.py", CHECKINS, "pages/1_Couple.py"):  # nor does any other page
        at.switch_page(page).run()
        assert_locked(at)
        assert "Thank you, Amara" in visible_text(at)

    take_back(at, "demo-password")
    assert not at.exception and at.sidebar.button and "Sign out" in visible_text(at)


def test_guessing_pauses_the_hand_over_box_but_never_the_counselors_account(demo_db, db_path):
    at, _ = handed_to_amara(demo_db, db_path)
    for n in range(checkins.HANDOVER_FREE_TRIES):
        take_back(at, f"guess {n}")
        assert_locked(at)
    assert "paused for 10 more minutes" in text_of(at.error[0])
    take_back(at, "demo-password")  # paused: the right password waits too, and it says so
    assert "paused for" in text_of(at.error[0])
    assert_locked(at)
    assert demo_db.one("auth/throttle_get", username=accounts.throttle_key("demo")) is None
    assert accounts.authenticate(demo_db, "demo", "demo-password").username == "demo"


def test_after_a_reload_the_partner_is_asked_to_hand_back_and_the_answers_continue(
    demo_db, db_path
):
    at, token = handed_to_amara(demo_db, db_path)
    first = next(i for i in instruments.load("checkin").items if i.required and i.options)
    links.save_answer(demo_db, token, first.id, first.options[0].value)

    reloaded = new_app(db_path)  # a reload: a new browser session of the same sign-in
    reloaded.session_state[state.ACTOR] = at.session_state[state.ACTOR]
    reloaded.run()
    text = visible_text(reloaded)
    assert "Please hand the device back to your counselor" in text
    assert "answers so far are kept" in text
    assert "cannot be reopened" not in text and "end the hand-over below" not in text
    assert_locked(reloaded)

    take_back(reloaded, "a guess", "handover.reopen_submit")
    assert reloaded.error and handover.TOKEN not in reloaded.session_state
    take_back(reloaded, "demo-password", "handover.reopen_submit")
    assert not reloaded.exception
    assert "Hello Amara." in visible_text(reloaded)
    labels = [b.label for b in reloaded.button]
    assert "Continue where you left off" in labels and "Start" not in labels
    assert links.my_answers(demo_db, reloaded.session_state[handover.TOKEN]) == {
        first.id: first.options[0].value
    }


def test_a_partner_who_already_sent_this_periods_check_in_is_told_so_calmly(demo_db, db_path):
    at, token = handed_to_amara(demo_db, db_path)
    answer_required(demo_db, token)
    assert links.submit(demo_db, token)
    at.run()
    take_back(at, "demo-password")
    amara = couple_named(demo_db, DUE)["partners"][0]
    at.button(key=f"checkins.handover.{amara['id']}").click().run()
    assert not at.exception and not at.error
    assert any("Amara already sent the check-in for this period" in text_of(i) for i in at.info)
    assert "Who is due" in visible_text(at) and handover.TOKEN not in at.session_state
    actor = at.session_state[state.ACTOR]
    assert checkins.active_handover(demo_db, actor) is None


def test_partners_who_share_a_first_name_are_told_apart(demo_db, db_path):
    actor = demo_actor(demo_db)
    cid = couples.create(demo_db, actor, {"name": "Sam"}, {"name": "Sam B."}, "")
    # New couples need two different names; a couple stored before that rule may share one.
    rows(demo_db, "UPDATE partners SET name = 'sam ' WHERE couple_id = $c AND position = 2", c=cid)
    label = couples.get(demo_db, actor, cid)["label"]
    at = on_checkins(demo_db, db_path, label)
    # Each card's first line is its partner's name (its badge follows in the same element).
    cards = [
        m.value.replace("\\", "").split("  \n")[0]
        for m in at.markdown
        if m.value.lower().startswith("**sam")
    ]
    assert cards == ["**Sam**", "**sam (2)**"]
    helps = [b.help for b in at.button if b.key.startswith("checkins.handover.")]
    assert len(helps) == 2 and plain("sam (2)") in helps[1] and "(2)" not in helps[0]
