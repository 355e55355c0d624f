"""Private partner links: the token is the only credential, and it opens exactly one partner's form."""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
from datetime import timedelta

import pytest

from core import couples, instruments, links
from core.clock import utcnow
from core.errors import NotFound, ValidationError
from tests.conftest import erase_for_good, make_couple, rows

BIG = "x" * 10_000_000  # a 10 MB paste
CSI4_ALL = {"csi4_happiness": 4, "csi4_warm": 3, "csi4_rewarding": 5, "csi4_satisfied": 2}


def no_sleep(_seconds: float) -> None:
    """Stands in for time.sleep where a test makes many bad-token calls on purpose."""


def partner_ids(db, couple_id: int) -> tuple[int, int]:
    """The two partner ids of a couple, in display order."""
    first, second = db.all("couples/partners", couple_id=couple_id)
    return first["id"], second["id"]


def varchar_values(db) -> list[str]:
    """Every non-null VARCHAR value in every table of the database."""
    columns = rows(
        db,
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND data_type = 'VARCHAR'",
    )
    found = []
    for table, column in columns:
        sql = f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
        found.extend(r[0] for r in rows(db, sql))
    return found


def unavailable_message(call) -> str:
    """The message of the LinkUnavailable that `call()` must raise."""
    with pytest.raises(links.LinkUnavailable) as caught:
        call()
    return str(caught.value)


def answer_rows(db) -> list[tuple]:
    """(link_id, partner_id, item_id, value_json) of every stored answer."""
    return rows(db, "SELECT link_id, partner_id, item_id, value_json FROM answers ORDER BY 1, 3")


@pytest.fixture
def couple(db, counselor, couple_id):
    """Counselor A's couple as (couple id, partner 1 id, partner 2 id)."""
    return (couple_id, *partner_ids(db, couple_id))


@pytest.fixture
def csi4(db, counselor, couple):
    """A fresh CSI-4 link for partner 1 (Rachel)."""
    cid, p1, _p2 = couple
    return links.issue(db, counselor, cid, p1, "csi4", 14)


# -- the token ---------------------------------------------------------------------------
def test_token_has_256_bits_in_43_url_safe_characters(csi4):
    assert len(csi4.token) == 43
    assert links.TOKEN_SHAPE.match(csi4.token)
    assert len(base64.urlsafe_b64decode(csi4.token + "=")) * 8 >= 256


def test_tokens_are_never_repeated(db, counselor, couple):
    cid, p1, p2 = couple
    issued = [
        links.issue(db, counselor, cid, p, i, 7) for p in (p1, p2) for i in ("csi4", "checkin")
    ]
    assert len({i.token for i in issued}) == len({links.hash_token(i.token) for i in issued}) == 4


def test_token_is_not_stored_anywhere_but_its_hash_is(db, csi4):
    links.open_link(db, csi4.token, "203.0.113.7")
    links.save_answer(db, csi4.token, "csi4_happiness", 3)
    values = varchar_values(db)
    assert values, "the scan found no text at all"
    assert not any(csi4.token in v for v in values)
    assert links.hash_token(csi4.token) in values
    stored = rows(db, "SELECT token_hash FROM links WHERE id = $id", id=csi4.link_id)
    assert stored == [(links.hash_token(csi4.token),)]


# -- one calm message for every unusable token -------------------------------------------
MALFORMED = ["", BIG, "' OR 1=1 --", "x'; DROP TABLE links; --", None, 12345, "A" * 43]


def test_wrong_or_malformed_tokens_are_unavailable_everywhere(db, csi4):
    messages = set()
    for token in MALFORMED:
        messages.add(unavailable_message(lambda t=token: links.open_link(db, t, sleep=no_sleep)))
        messages.add(unavailable_message(lambda t=token: links.my_answers(db, t)))
        messages.add(unavailable_message(lambda t=token: links.save_answer(db, t, "csi4_warm", 3)))
        messages.add(unavailable_message(lambda t=token: links.submit(db, t)))
    assert messages == {links.LinkUnavailable.MESSAGE}
    assert answer_rows(db) == []
    assert links.open_link(db, csi4.token).submitted is False


def test_expired_revoked_and_replaced_links_say_exactly_what_a_wrong_token_says(
    db, counselor, couple
):
    cid, p1, p2 = couple
    t0 = utcnow()
    expired = links.issue(db, counselor, cid, p1, "csi4", 1, now=t0 - timedelta(days=2))
    revoked = links.issue(db, counselor, cid, p2, "csi4", 14)
    links.revoke(db, counselor, cid, revoked.link_id)
    replaced = links.issue(db, counselor, cid, p1, "checkin", 14)
    newer = links.issue(db, counselor, cid, p1, "checkin", 14)
    late = t0 + timedelta(days=30)
    messages = {
        unavailable_message(lambda t=t: links.open_link(db, t, sleep=no_sleep))
        for t in ("z" * 43, expired.token, revoked.token, replaced.token)
    }
    messages.add(unavailable_message(lambda: links.open_link(db, newer.token, now=late)))
    for token in (expired.token, revoked.token, replaced.token):
        messages.add(unavailable_message(lambda t=token: links.my_answers(db, t)))
        messages.add(unavailable_message(lambda t=token: links.save_answer(db, t, "stress", 1)))
        messages.add(unavailable_message(lambda t=token: links.submit(db, t)))
    assert messages == {links.LinkUnavailable.MESSAGE}
    assert links.open_link(db, newer.token).partner_id == p1  # only the newest one works


def test_an_archived_couples_links_do_not_open_until_it_is_restored(db, counselor, couple):
    """Archiving ends the couple's work: a partner kept sending private answers about a couple
    no longer on the active caseload (walkthrough). Restored, the links open again."""
    from core import checkins

    cid, p1, p2 = couple
    form = links.issue(db, counselor, cid, p1, "csi4", 14)
    links.save_answer(db, form.token, "csi4_warm", 3)
    sent = links.issue(db, counselor, cid, p2, "csi4", 14)
    for item, value in CSI4_ALL.items():
        links.save_answer(db, sent.token, item, value)
    links.submit(db, sent.token)
    standing = checkins.issue_standing(db, counselor, cid, p1)

    couples.set_archived(db, counselor, cid, True)
    messages = {
        unavailable_message(lambda: links.open_link(db, form.token, sleep=no_sleep)),
        unavailable_message(lambda: links.my_answers(db, form.token)),
        unavailable_message(lambda: links.save_answer(db, form.token, "csi4_warm", 4)),
        unavailable_message(lambda: links.submit(db, form.token)),
    }
    assert messages == {links.LinkUnavailable.MESSAGE}  # what any link that no longer works says
    assert checkins.open_standing(db, standing.token) is None
    assert links.open_link(db, sent.token).submitted  # a sent form still says thank you
    for issue in (
        lambda: links.issue(db, counselor, cid, p1, "checkin", 14),
        lambda: checkins.issue_standing(db, counselor, cid, p2),
        lambda: checkins.start_handover(db, counselor, cid, p2),
    ):
        with pytest.raises(ValidationError) as caught:
            issue()
        assert caught.value.fields == {"couple": couples.ARCHIVED_NO_LINKS}

    couples.set_archived(db, counselor, cid, False)
    assert links.my_answers(db, form.token) == {"csi4_warm": 3}
    assert checkins.open_standing(db, standing.token) is not None
    links.issue(db, counselor, cid, p1, "checkin", 14)


def test_a_token_opens_its_own_couple_and_partner_only(db, counselor, couple):
    cid, p1, _p2 = couple
    other_cid = make_couple(db, counselor, "Zoë", "Łukasz")
    other_p1, _ = partner_ids(db, other_cid)
    mine = links.issue(db, counselor, cid, p1, "csi4", 14)
    theirs = links.issue(db, counselor, other_cid, other_p1, "csi4", 14)
    links.save_answer(db, theirs.token, "csi4_happiness", 6)

    opened = links.open_link(db, mine.token)
    assert (opened.couple_id, opened.partner_id, opened.partner_name) == (cid, p1, "Rachel")
    assert links.my_answers(db, mine.token) == {}
    links.save_answer(db, mine.token, "csi4_happiness", 1)
    assert links.my_answers(db, theirs.token) == {"csi4_happiness": 6}
    assert links.my_answers(db, mine.token) == {"csi4_happiness": 1}


# -- status ------------------------------------------------------------------------------
def test_status_moves_sent_opened_in_progress_submitted_with_timestamps(db, counselor, couple):
    cid, p1, _p2 = couple
    t0 = utcnow()
    t1, t2, t3 = (t0 + timedelta(minutes=m) for m in (10, 20, 30))
    issued = links.issue(db, counselor, cid, p1, "csi4", 14, now=t0)

    def only_link(now):
        (link,) = links.for_couple(db, counselor, cid, now=now)
        return link

    assert only_link(t0)["status"] == "sent"
    assert only_link(t0)["created_at"] == t0
    links.open_link(db, issued.token, now=t1)
    links.open_link(db, issued.token, now=t2)  # a second visit keeps the first time
    assert (only_link(t1)["status"], only_link(t1)["opened_at"]) == ("opened", t1)
    for item, value in CSI4_ALL.items():
        links.save_answer(db, issued.token, item, value, now=t2)
    link = only_link(t2)
    assert (link["status"], link["started_at"], link["answered"]) == ("in_progress", t2, 4)
    assert links.submit(db, issued.token, now=t3) is True
    link = only_link(t3 + timedelta(days=60))  # a submitted link never expires
    assert (link["status"], link["submitted_at"]) == ("submitted", t3)
    assert links.STATUS_LABELS[link["status"]] == "Submitted"


def test_status_shows_expired_revoked_and_replaced(db, counselor, couple):
    cid, p1, p2 = couple
    t0 = utcnow()
    first = links.issue(db, counselor, cid, p1, "csi4", 1, now=t0)
    second = links.issue(db, counselor, cid, p1, "csi4", 14, now=t0 + timedelta(seconds=1))
    other = links.issue(db, counselor, cid, p2, "csi4", 1, now=t0 + timedelta(seconds=2))
    revoked = links.issue(db, counselor, cid, p2, "intake", 14, now=t0 + timedelta(seconds=3))
    links.revoke(db, counselor, cid, revoked.link_id)

    def statuses(now):
        return {r["id"]: r["status"] for r in links.for_couple(db, counselor, cid, now=now)}

    assert statuses(t0 + timedelta(hours=1)) == {
        first.link_id: "replaced",
        second.link_id: "sent",
        other.link_id: "sent",
        revoked.link_id: "revoked",
    }
    assert statuses(t0 + timedelta(days=2))[other.link_id] == "expired"
    assert [r["id"] for r in links.for_couple(db, counselor, cid)] == [
        revoked.link_id,
        other.link_id,
        second.link_id,
        first.link_id,
    ]  # newest first
    row = {"expires_at": t0 + timedelta(days=1), "submitted_at": t0, "revoked_at": None}
    assert links.status(row, now=t0 + timedelta(days=9)) == "submitted"


def test_the_overview_reads_each_partners_newest_link_per_questionnaire(db, counselor, couple):
    cid, p1, p2 = couple
    t0 = utcnow()
    issued = [
        links.issue(db, counselor, cid, p1, "csi4", 14, now=t0),
        links.issue(db, counselor, cid, p1, "csi4", 14, now=t0 + timedelta(seconds=1)),
        links.issue(db, counselor, cid, p1, "intake", 14, now=t0 + timedelta(seconds=2)),
        links.issue(db, counselor, cid, p2, "csi4", 1, now=t0 + timedelta(seconds=3)),
    ]
    later = t0 + timedelta(days=2)
    every = links.for_couple(db, counselor, cid, now=later)
    newest = links.newest_for_couple(db, counselor, cid, now=later)
    # Exactly the rows the full list has first for each (partner, questionnaire), same order.
    firsts = {}
    for r in every:
        firsts.setdefault((r["partner_id"], r["instrument_id"]), r)
    assert [r["id"] for r in newest] == [r["id"] for r in firsts.values()]
    assert [r["id"] for r in newest] == [issued[3].link_id, issued[2].link_id, issued[1].link_id]
    for r in newest:
        whole = next(w for w in every if w["id"] == r["id"])
        assert {k: whole[k] for k in r if k != "decision_title"} == {
            k: v for k, v in r.items() if k != "decision_title"
        }
        assert r["decision_title"] is None  # questionnaires; a decision's matrix names it
    assert [r["status"] for r in newest] == ["expired", "sent", "sent"]


def test_revoking_a_submitted_link_changes_nothing(db, counselor, couple, csi4):
    cid, *_ = couple
    for item, value in CSI4_ALL.items():
        links.save_answer(db, csi4.token, item, value)
    links.submit(db, csi4.token)
    links.revoke(db, counselor, cid, csi4.link_id)
    (link,) = links.for_couple(db, counselor, cid)
    assert link["status"] == "submitted"
    assert links.open_link(db, csi4.token).submitted is True


# -- drafts --------------------------------------------------------------------------------
INTAKE_DRAFT = {
    "work_identity": 7,  # slider
    "work_meaningful": 4,  # scale
    "work_values": ["growth", "income"],  # multiple choice, given out of form order
    "success_means": "Line one\nLine two",  # long text
    "work_legacy": "Good teams",  # short text
    "who_gives_way": None,  # filled below from the item's first option
    "household_share": 60,  # split
    "work_hours": 42,  # number
    "demand_travel": True,  # yes/no
}


def test_a_draft_is_saved_answer_by_answer_and_resumed_later(db, counselor, couple):
    cid, p1, _p2 = couple
    issued = links.issue(db, counselor, cid, p1, "intake", 14)
    draft = dict(INTAKE_DRAFT)
    draft["who_gives_way"] = instruments.load("intake").item("who_gives_way").options[0].value
    for item, value in draft.items():
        links.save_answer(db, issued.token, item, value)
    # The browser is closed; days later the partner opens the same link again.
    later = utcnow() + timedelta(days=3)
    assert links.open_link(db, issued.token, now=later).submitted is False
    resumed = links.my_answers(db, issued.token, now=later)
    assert resumed == {**draft, "work_values": ["income", "growth"]}  # stored in form order
    assert len(answer_rows(db)) == len(draft)


def test_a_re_sent_link_carries_the_unsent_answers_on(db, counselor, couple):
    cid, p1, p2 = couple
    first = links.issue(db, counselor, cid, p1, "csi4", 1)
    links.save_answer(db, first.token, "csi4_happiness", 3)
    # The link runs out unsent; days later the counselor sends a new one.
    later = utcnow() + timedelta(days=3)
    second = links.issue(db, counselor, cid, p1, "csi4", 14, now=later)
    assert links.my_answers(db, second.token, now=later) == {"csi4_happiness": 3}
    assert [r[0] for r in answer_rows(db)] == [second.link_id]  # moved, not copied
    status = {r["id"]: r["status"] for r in links.for_couple(db, counselor, cid)}
    assert status[second.link_id] == "in_progress"
    # Re-sent while open too; never to the other partner or another questionnaire.
    third = links.issue(db, counselor, cid, p1, "csi4", 14, now=later)
    assert links.my_answers(db, third.token, now=later) == {"csi4_happiness": 3}
    assert links.my_answers(db, links.issue(db, counselor, cid, p2, "csi4", 14).token) == {}
    assert links.my_answers(db, links.issue(db, counselor, cid, p1, "intake", 14).token) == {}


def test_a_link_the_counselor_stopped_keeps_its_answers_to_itself(db, counselor, couple):
    # Stopped: perhaps it reached someone else, whose answers must not reach the partner.
    cid, p1, _p2 = couple
    first = links.issue(db, counselor, cid, p1, "csi4", 14)
    links.save_answer(db, first.token, "csi4_happiness", 3)
    links.revoke(db, counselor, cid, first.link_id)
    second = links.issue(db, counselor, cid, p1, "csi4", 14)
    assert links.my_answers(db, second.token) == {}


def test_a_blank_answer_clears_it(db, counselor, couple):
    cid, p1, _p2 = couple
    issued = links.issue(db, counselor, cid, p1, "intake", 14)
    links.save_answer(db, issued.token, "work_identity", 5)
    cases = [
        ("work_legacy", "Good teams", "   "),
        ("success_means", "Words", ""),
        ("work_meaningful", 4, None),
        ("work_values", ["income"], []),
    ]
    for item, value, blank in cases:
        links.save_answer(db, issued.token, item, value)
        assert links.my_answers(db, issued.token)[item] == value
        assert links.save_answer(db, issued.token, item, blank) is None
        assert links.my_answers(db, issued.token) == {"work_identity": 5}, item


def kept(db, token: str) -> bool:
    """Whether links._known_link keeps this token's link for this database."""
    return (db.instance, links.hash_token(token)) in links._known


def test_a_kept_link_is_refused_once_it_is_sent_revoked_expired_or_erased(
    db, admin, counselor, couple
):
    """A save keeps what never changes of a link after its first lookup (links._known_link) and
    reads whether it still takes answers inside each write: whatever happened to the link since
    the last save, the next one is refused, in the words a partner would get without the kept
    lookup, stores nothing, and the link is no longer kept."""
    cid, p1, p2 = couple
    sent = links.issue(db, counselor, cid, p2, "csi4", 14)
    for item, value in CSI4_ALL.items():
        links.save_answer(db, sent.token, item, value)
    links.submit(db, sent.token)
    assert kept(db, sent.token)
    with pytest.raises(links.AlreadySubmitted):
        links.save_answer(db, sent.token, "csi4_warm", 1)
    assert not kept(db, sent.token)
    links.save_answer(db, links.issue(db, counselor, cid, p1, "csi4", 14).token, "csi4_warm", 3)
    with pytest.raises(links.AlreadySubmitted):  # said before an answer is judged, kept or not
        links.save_answer(db, sent.token, "no_such_item", "x")
    sent_rows = [r for r in answer_rows(db) if r[0] == sent.link_id]

    stopped = links.issue(db, counselor, cid, p1, "csi4", 14)  # replaces the one just used
    links.save_answer(db, stopped.token, "csi4_warm", 3)
    links.revoke(db, counselor, cid, stopped.link_id)
    assert (
        unavailable_message(lambda: links.save_answer(db, stopped.token, "csi4_warm", 4))
        == links.LinkUnavailable.MESSAGE
    )
    assert not kept(db, stopped.token)

    replaced = links.issue(db, counselor, cid, p1, "csi4", 14)
    links.save_answer(db, replaced.token, "csi4_warm", 2)
    newer = links.issue(db, counselor, cid, p1, "csi4", 14)  # re-sent: the old one is replaced
    with pytest.raises(links.LinkUnavailable):
        links.save_answer(db, replaced.token, "csi4_warm", 5)
    with pytest.raises(links.LinkUnavailable):  # nor is a refused answer judged first
        links.save_answer(db, replaced.token, "csi4_warm", 99)

    links.save_answer(db, newer.token, "csi4_warm", 2)
    couples.set_archived(db, counselor, cid, True)
    with pytest.raises(links.LinkUnavailable):
        links.save_answer(db, newer.token, "csi4_warm", 5)
    couples.set_archived(db, counselor, cid, False)
    links.save_answer(db, newer.token, "csi4_warm", 1)  # restored: it takes answers again

    with pytest.raises(links.LinkUnavailable):
        links.save_answer(db, newer.token, "csi4_warm", 4, now=utcnow() + timedelta(days=15))
    by_link = {r[0]: r for r in answer_rows(db)}
    assert by_link[stopped.link_id][3] == "3"
    assert replaced.link_id not in by_link  # its answer went on to the re-sent link, as before
    assert by_link[newer.link_id][3] == "1"  # nothing from the refused saves
    assert [r for r in answer_rows(db) if r[0] == sent.link_id] == sent_rows  # as sent

    links.save_answer(db, newer.token, "csi4_warm", 1)  # today it is open: kept again
    assert kept(db, newer.token)
    erase_for_good(db, admin, cid, "Rachel & Marcus")
    with pytest.raises(links.LinkUnavailable):  # the link is gone: no TypeError, no answer
        links.save_answer(db, newer.token, "csi4_warm", 5)
    assert answer_rows(db) == []
    assert not any(kept(db, t) for t in (sent.token, stopped.token, replaced.token, newer.token))


def test_a_kept_link_never_writes_to_another_link_that_took_its_id(db, counselor, couple):
    """A restored backup can give a new link the id a kept link had: the write checks that the
    link of that id is still the token's, so one partner's answers never land in another's form."""
    cid, p1, p2 = couple
    mine = links.issue(db, counselor, cid, p1, "csi4", 14)
    links.save_answer(db, mine.token, "csi4_warm", 3)
    theirs = links.issue(db, counselor, cid, p2, "csi4", 14)
    # What a restore would make: the row of mine's id now belongs to another token.
    rows(db, "DELETE FROM answers WHERE link_id = $id", id=mine.link_id)
    rows(db, "DELETE FROM links WHERE id = $id", id=theirs.link_id)
    rows(
        db,
        "UPDATE links SET token_hash = $h, partner_id = $p WHERE id = $id",
        h=links.hash_token(theirs.token),
        p=p2,
        id=mine.link_id,
    )
    with pytest.raises(links.LinkUnavailable):
        links.save_answer(db, mine.token, "csi4_warm", 4)
    assert answer_rows(db) == []
    links.save_answer(db, theirs.token, "csi4_warm", 1)
    assert answer_rows(db) == [(mine.link_id, p2, "csi4_warm", "1")]


def test_the_kept_links_are_few_and_per_database(db, counselor, couple, monkeypatch):
    """At most KNOWN_LINKS are kept, the least recently used given up first; each open
    database keeps its own."""
    monkeypatch.setattr(links, "KNOWN_LINKS", 2)
    monkeypatch.setattr(links, "_known", type(links._known)())
    cid, p1, p2 = couple
    tokens = [
        links.issue(db, counselor, cid, p, iid, 14).token
        for p in (p1, p2)
        for iid in ("csi4", "checkin")
    ]
    for token in tokens:  # both forms open with the CSI-4's four questions
        links.save_answer(db, token, "csi4_warm", 2)
    assert len(links._known) == 2
    assert {k[1] for k in links._known} == {links.hash_token(t) for t in tokens[2:]}
    assert {k[0] for k in links._known} == {db.instance}


def test_a_copy_of_the_database_does_not_take_the_originals_kept_links(
    db, db_path, counselor, couple, tmp_path
):
    """A copy of the file (a restored backup, say) opened in the same process shares every
    token with the original but not its links' fates: a link stopped in the copy is refused
    there, however well the original knows it, and the original's link keeps working."""
    from core.db import Database

    cid, p1, _p2 = couple
    issued = links.issue(db, counselor, cid, p1, "csi4", 14)
    links.save_answer(db, issued.token, "csi4_warm", 2)  # kept for the original
    db.checkpoint()  # the file holds everything: copying it is a restore
    copy_path = tmp_path / "copy.duckdb"
    shutil.copyfile(db_path, copy_path)
    copy = Database(copy_path)
    try:
        assert copy.instance != db.instance
        links.revoke(copy, counselor, cid, issued.link_id)
        with pytest.raises(links.LinkUnavailable):
            links.save_answer(copy, issued.token, "csi4_warm", 3)
        links.save_answer(db, issued.token, "csi4_warm", 4)  # the original's link still works
        assert links.my_answers(db, issued.token) == {"csi4_warm": 4}
        assert (copy.instance, links.hash_token(issued.token)) not in links._known
        assert (db.instance, links.hash_token(issued.token)) in links._known
    finally:
        copy.close()


def test_saving_the_same_item_again_replaces_it(db, csi4):
    first = utcnow()
    links.save_answer(db, csi4.token, "csi4_warm", 1, now=first)
    links.save_answer(db, csi4.token, "csi4_rewarding", 2, now=first)
    links.save_answer(db, csi4.token, "csi4_warm", 5, now=first + timedelta(minutes=3))
    assert links.my_answers(db, csi4.token) == {"csi4_warm": 5, "csi4_rewarding": 2}
    assert len(answer_rows(db)) == 2
    # The replaced answer carries its new time; the other one is untouched.
    stamps = dict(rows(db, "SELECT item_id, updated_at FROM answers"))
    assert stamps == {"csi4_warm": first + timedelta(minutes=3), "csi4_rewarding": first}


BAD_ANSWERS = [
    ("csi4_warm", 9),
    ("csi4_warm", "3"),
    ("csi4_warm", True),
    ("csi4_warm", float("nan")),
    ("csi4_warm", ["3"]),
    ("not_an_item", 1),
    (None, 1),
    ("x" * 10_000, 1),
]


def test_a_bad_answer_or_unknown_item_is_refused_and_keeps_the_draft(db, csi4):
    links.save_answer(db, csi4.token, "csi4_warm", 2)
    for item, value in BAD_ANSWERS:
        with pytest.raises(ValidationError) as caught:
            links.save_answer(db, csi4.token, item, value)
        assert caught.value.fields and len(str(caught.value)) < 300
        assert links.my_answers(db, csi4.token) == {"csi4_warm": 2}, (item, value)


# -- required items and submitting once ---------------------------------------------------
def test_submit_names_every_missing_required_item(db, csi4):
    links.save_answer(db, csi4.token, "csi4_warm", 3)
    with pytest.raises(ValidationError) as caught:
        links.submit(db, csi4.token)
    assert list(caught.value.fields) == ["csi4_happiness", "csi4_rewarding", "csi4_satisfied"]
    assert links.open_link(db, csi4.token).submitted is False


def test_optional_items_may_stay_blank(db, counselor, couple):
    cid, p1, _p2 = couple
    issued = links.issue(db, counselor, cid, p1, "checkin", 14)
    with pytest.raises(ValidationError) as caught:
        links.submit(db, issued.token)
    required = list(caught.value.fields)
    assert "stress" in required and "fairness_me" not in required
    assert "safety_afraid" not in required  # counselor-only questions are optional
    for item in required:
        links.save_answer(db, issued.token, item, 1)
    assert links.submit(db, issued.token) is True


def test_submit_once_then_a_double_tap_returns_false_and_creates_nothing(db, csi4):
    for item, value in CSI4_ALL.items():
        links.save_answer(db, csi4.token, item, value)
    first = utcnow()
    assert links.submit(db, csi4.token, now=first) is True
    before = (answer_rows(db), rows(db, "SELECT * FROM links"))
    assert links.submit(db, csi4.token, now=first + timedelta(seconds=1)) is False
    assert links.submit(db, csi4.token, now=first + timedelta(days=99)) is False  # even expired
    assert (answer_rows(db), rows(db, "SELECT * FROM links")) == before


def test_after_submitting_nothing_can_change_but_the_link_still_opens_as_complete(db, csi4):
    for item, value in CSI4_ALL.items():
        links.save_answer(db, csi4.token, item, value)
    links.submit(db, csi4.token)
    with pytest.raises(links.AlreadySubmitted):
        links.save_answer(db, csi4.token, "csi4_warm", 0)
    with pytest.raises(links.AlreadySubmitted):
        links.save_answer(db, csi4.token, "csi4_warm", None)  # clearing is a change too
    with pytest.raises(links.AlreadySubmitted):
        links.my_answers(db, csi4.token)  # the page shows no answers once they are sent
    opened = links.open_link(db, csi4.token, now=utcnow() + timedelta(days=1))
    assert opened.submitted is True
    # Once the link would have expired, its thanks name nobody: a forwarded old link shows
    # neither the partner's name nor the practice's, nor the form's title.
    with pytest.raises(links.AlreadySubmitted):
        links.open_link(db, csi4.token, now=csi4.expires_at + timedelta(seconds=1))
    stored = {r[2]: json.loads(r[3]) for r in answer_rows(db)}
    assert stored == CSI4_ALL


# -- over-long text ------------------------------------------------------------------------
TOO_LONG = [
    ("work_legacy", "w" * 201),
    ("work_legacy", "w " * 150),  # 299 characters once cleaned, within the raw slack
    ("success_means", "s" * 4001),
    ("work_legacy", BIG),
    ("success_means", BIG),
]


def test_over_long_text_is_refused_and_nothing_else_is_lost(db, counselor, couple):
    cid, p1, _p2 = couple
    issued = links.issue(db, counselor, cid, p1, "intake", 14)
    kept = {"work_legacy": "Good teams", "success_means": "A life with room", "work_identity": 6}
    for key, value in kept.items():
        links.save_answer(db, issued.token, key, value)
    for item, too_long in TOO_LONG:
        with pytest.raises(ValidationError) as caught:
            links.save_answer(db, issued.token, item, too_long)
        message = caught.value.fields[item]
        assert "too long" in message and len(message) < 200
        assert links.my_answers(db, issued.token) == kept  # the same item's earlier value too


def test_text_at_the_limit_is_kept_whole(db, counselor, couple):
    cid, p1, _p2 = couple
    issued = links.issue(db, counselor, cid, p1, "intake", 14)
    assert links.save_answer(db, issued.token, "work_legacy", "w" * 200) == "w" * 200
    assert links.my_answers(db, issued.token)["work_legacy"] == "w" * 200


# -- one partner never reaches the other ------------------------------------------------------
def test_partner_a_can_never_read_or_write_partner_b_answers(db, counselor, couple):
    cid, p1, p2 = couple
    a = links.issue(db, counselor, cid, p1, "csi4", 14)
    b = links.issue(db, counselor, cid, p2, "csi4", 14)
    b_intake = links.issue(db, counselor, cid, p2, "intake", 14)
    b_answers = {"csi4_happiness": 6, "csi4_warm": 5, "csi4_rewarding": 5, "csi4_satisfied": 5}
    for item, value in b_answers.items():
        links.save_answer(db, b.token, item, value)
    links.save_answer(db, b_intake.token, "safety_note", "B's private words")
    b_rows_before = [r for r in answer_rows(db) if r[1] == p2]

    for item in b_answers:  # B's item ids, through A's token
        links.save_answer(db, a.token, item, 0)
    with pytest.raises(ValidationError):
        links.save_answer(db, a.token, "safety_note", "overwrite?")  # not in A's form

    assert links.my_answers(db, a.token) == dict.fromkeys(b_answers, 0)
    assert "B's private words" not in json.dumps(links.my_answers(db, a.token))
    assert links.my_answers(db, b.token) == b_answers
    assert [r for r in answer_rows(db) if r[1] == p2] == b_rows_before
    a_rows = [r for r in answer_rows(db) if r[0] == a.link_id]
    assert len(a_rows) == 4 and {r[1] for r in a_rows} == {p1}
    assert links.open_link(db, a.token).partner_name == "Rachel"
    assert links.open_link(db, b.token).partner_name == "Marcus"


def test_counselor_sees_each_partner_newest_submission_separately(db, counselor, couple):
    cid, p1, p2 = couple
    for partner, value in ((p1, 1), (p2, 4)):
        issued = links.issue(db, counselor, cid, partner, "csi4", 14)
        for item in CSI4_ALL:
            links.save_answer(db, issued.token, item, value)
        links.submit(db, issued.token)
    got = links.submitted_answers(db, counselor, cid, "csi4")
    assert set(got) == {p1, p2}
    assert got[p1]["answers"] == dict.fromkeys(CSI4_ALL, 1)
    assert got[p2]["answers"] == dict.fromkeys(CSI4_ALL, 4)
    assert links.submitted_answers(db, counselor, cid, "intake") == {}


# -- counselor side refuses what is not theirs ------------------------------------------------
COUNSELOR_CALLS = {
    "issue": lambda db, actor, cid, pid, lid: links.issue(db, actor, cid, pid, "csi4", 14),
    "for_couple": lambda db, actor, cid, pid, lid: links.for_couple(db, actor, cid),
    "newest_for_couple": lambda db, actor, cid, pid, lid: links.newest_for_couple(db, actor, cid),
    "revoke": lambda db, actor, cid, pid, lid: links.revoke(db, actor, cid, lid),
    "submitted_answers": lambda db, actor, cid, pid, lid: links.submitted_answers(
        db, actor, cid, "csi4"
    ),
}


def test_another_counselors_couple_is_not_found(db, other_counselor, couple, csi4):
    cid, p1, _p2 = couple
    for name, call in COUNSELOR_CALLS.items():
        with pytest.raises(NotFound):
            call(db, other_counselor, cid, p1, csi4.link_id)
        assert links.open_link(db, csi4.token).submitted is False, name  # untouched
    assert rows(db, "SELECT count(*) FROM links") == [(1,)]


def test_issue_refuses_a_partner_of_another_couple(db, counselor, couple):
    cid, _p1, _p2 = couple
    other_cid = make_couple(db, counselor, "Zoë", "Łukasz")
    for pid in (*partner_ids(db, other_cid), "999999", None, "abc", -1, 1.5, [1]):
        with pytest.raises(NotFound):
            links.issue(db, counselor, cid, pid, "csi4", 14)
    assert rows(db, "SELECT count(*) FROM links") == [(0,)]


def test_revoke_cannot_reach_another_couples_link(db, counselor, couple):
    cid, _p1, _p2 = couple
    other_cid = make_couple(db, counselor, "Zoë", "Łukasz")
    theirs = links.issue(db, counselor, other_cid, partner_ids(db, other_cid)[0], "csi4", 14)
    for bad in (theirs.link_id, str(theirs.link_id), "abc", None, float("inf"), [1]):
        with contextlib.suppress(NotFound):  # refusing or doing nothing are both fine
            links.revoke(db, counselor, cid, bad)
    assert links.open_link(db, theirs.token).partner_name == "Zoë"


UNKNOWN_INSTRUMENTS = ["nope", "", "../csi4", "CSI4", "csi4.toml", "csi4\n", None, 4, ["csi4"]]


def test_issue_refuses_an_unknown_instrument(db, counselor, couple):
    cid, p1, _p2 = couple
    for instrument in UNKNOWN_INSTRUMENTS:
        with pytest.raises(ValidationError) as caught:
            links.issue(db, counselor, cid, p1, instrument, 14)
        assert "instrument" in caught.value.fields
    assert rows(db, "SELECT count(*) FROM links") == [(0,)]


BAD_DAYS = [0, -1, 91, 10**9, "abc", "", None, "1.5", float("inf"), float("nan"), [14]]


def test_issue_refuses_days_outside_1_to_90(db, counselor, couple):
    cid, p1, _p2 = couple
    for days in BAD_DAYS:
        with pytest.raises(ValidationError) as caught:
            links.issue(db, counselor, cid, p1, "csi4", days)
        assert "days" in caught.value.fields
    assert rows(db, "SELECT count(*) FROM links") == [(0,)]


def test_issue_accepts_days_from_1_to_90(db, counselor, couple):
    cid, p1, _p2 = couple
    t0 = utcnow()
    for days in (1, 90, "30"):
        issued = links.issue(db, counselor, cid, p1, "csi4", days, now=t0)
        assert issued.expires_at == t0 + timedelta(days=int(days))
        assert issued.partner_name == "Rachel"
        assert issued.instrument_title == "How things are between you (CSI-4)"


# -- guessing is slowed ---------------------------------------------------------------------
def test_bad_tokens_from_one_client_are_slowed_and_the_delay_is_capped(db, csi4):
    t0 = utcnow()
    slept: list[float] = []
    tries = links.FREE_BAD_TOKENS + 20
    for n in range(tries):
        now = t0 + timedelta(seconds=n)
        unavailable_message(
            lambda now=now: links.open_link(db, "q" * 43, "198.51.100.9", now, sleep=slept.append)
        )
    assert len(slept) == tries - links.FREE_BAD_TOKENS  # the first FREE_BAD_TOKENS are free
    assert slept == sorted(slept) and slept[0] > 0 and slept[1] > slept[0]
    assert max(slept) == links.BAD_TOKEN_DELAY_MAX

    other: list[float] = []
    unavailable_message(lambda: links.open_link(db, "q" * 43, "192.0.2.1", t0, sleep=other.append))
    assert other == []  # a different client is not slowed

    good: list[float] = []
    links.open_link(
        db, csi4.token, "198.51.100.9", t0 + timedelta(seconds=tries), sleep=good.append
    )
    assert good == []  # the right token is never slowed

    def counted(*_args):
        raise AssertionError("a working link read the device's bad tries")

    with pytest.MonkeyPatch.context() as mp:  # nor does it pay a query for them (issue 6)
        mp.setattr(links, "_client_delay", counted)
        links.open_link(db, csi4.token, "198.51.100.9", t0 + timedelta(seconds=tries))

    after_window = t0 + links.BAD_TOKEN_WINDOW + timedelta(seconds=tries + 1)
    fresh: list[float] = []
    unavailable_message(
        lambda: links.open_link(db, "q" * 43, "198.51.100.9", after_window, sleep=fresh.append)
    )
    assert fresh == []  # the window expired


def test_client_addresses_are_stored_only_as_hashes(db):
    unavailable_message(lambda: links.open_link(db, "bad", "198.51.100.9", sleep=no_sleep))
    assert not any("198.51.100.9" in v for v in varchar_values(db))
    assert rows(db, "SELECT client_key FROM link_attempts") == [(links.client_key("198.51.100.9"),)]


# -- erasure ----------------------------------------------------------------------------------
def test_delete_forever_removes_every_link_and_answer_of_the_couple(db, admin, counselor, couple):
    cid, p1, p2 = couple
    kept_cid = make_couple(db, counselor, "Zoë", "Łukasz")
    kept = links.issue(db, counselor, kept_cid, partner_ids(db, kept_cid)[0], "csi4", 14)
    links.save_answer(db, kept.token, "csi4_warm", 2)
    tokens = []
    for partner in (p1, p2):
        for instrument in ("csi4", "intake"):
            issued = links.issue(db, counselor, cid, partner, instrument, 14)
            tokens.append(issued.token)
    for item, value in CSI4_ALL.items():
        links.save_answer(db, tokens[0], item, value)
    links.submit(db, tokens[0])
    links.save_answer(db, tokens[3], "safety_note", "private")

    erase_for_good(db, admin, cid, "Rachel & Marcus")

    for table in ("links", "answers"):
        sql = f"SELECT count(*) FROM {table} WHERE couple_id = $cid"
        assert rows(db, sql, cid=cid) == [(0,)]
    for token in tokens:
        unavailable_message(lambda t=token: links.open_link(db, t, sleep=no_sleep))
    assert links.my_answers(db, kept.token) == {"csi4_warm": 2}
