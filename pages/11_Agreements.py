"""A couple's written agreements: the living document, every earlier version, what changed."""

from datetime import date

import streamlit as st

from core import agreements, markdown
from core.dates import shown
from ui.auth import require_login
from ui.once import DROP, Once, Pick
from ui.widgets import (
    calm,
    choose,
    drawn_from,
    drawn_key,
    lazy_tabs,
    local_today,
    offer_newer,
    open_couple,
    plain,
    record_picker,
    required,
    when,
)

app, actor = require_login("Agreements")
couple = open_couple(app, actor)

NEW = "new"
CHOSEN = f"agreements.pick.{couple['id']}"  # session-state key: the agreement on screen
NEXT = Pick(CHOSEN)  # what a save leaves for the picker: the record to show next
NOTE = "tandem.agreements.note"  # what the last save did, said by the next run
# Dates are typed or picked over a wide range, so that a mistyped year reaches core and is
# answered in words (the browser only turns a date outside the widget's range red, and the
# save then went ahead without it).
TYPABLE_DATES = {"min_value": date(1000, 1, 1), "max_value": date(9999, 12, 31)}
today = local_today()  # the counselor's, not the server's UTC date
# Agreements and versions saved in this session: after a save the forms are drawn afresh (the
# edit form from the new version), and a double-click saves once (ui/once.py).
saves = Once("agreements")

st.title(f"Agreements · {plain(couple['label'])}", anchor=False)
st.caption(
    "The couple's own written agreements about their two careers: relational, not legal. "
    "Every change is kept as a new version, so you can always see what was agreed when."
)
if NOTE in st.session_state:
    kind, message = st.session_state.pop(NOTE)
    (st.toast if kind == "toast" else st.info)(message)

rows = agreements.for_couple(app.db, actor, couple["id"])
by_id = {r["id"]: r for r in rows}


def save_once(save, then) -> None:
    """Run `save` once per click (ui/once.py), then show what was saved (`then` gives what the
    next run shows). `save` returns False when there was nothing to save: the form stays as
    typed."""
    if saves.run(save, then) is False:
        st.info("Nothing changed, so no new version was made.")
        return
    st.rerun()


def label_of(choice) -> str:
    """How an agreement is listed: its title and status."""
    if choice == NEW:
        return "+ New agreement"
    a = by_id[choice]
    live = a["status"] in agreements.LIVE_STATUSES
    due = " · review due" if live and a["review_on"] and a["review_on"] <= today else ""
    return f"{a['title']} ({agreements.STATUSES[a['status']]}{due})"


chosen = record_picker("Agreement", list(by_id), CHOSEN, NEW, label_of)


def fields(current: dict, key: str) -> dict:
    """The agreement form's inputs, filled with the current version."""
    left, right = st.columns([3, 2])
    values = {
        "title": left.text_input(
            required("Title"),
            current.get("title", ""),
            key=f"{key}.title",
        ),
        "kind": choose(
            "Kind", agreements.KINDS, f"{key}.kind", current.get("kind", "other"), where=right
        ),
    }
    # No max_chars (nor on the title): the browser would drop a longer paste without a word;
    # core names the field, its length and the limit, and the text stays to be shortened.
    values["body"] = st.text_area(
        required("What the two of you agreed"),
        current.get("body", ""),
        height=160,
        key=f"{key}.body",
        help="In the couple's own words where you can: who does what, when, and what happens "
        f"if. Up to {agreements.BODY_MAX_CHARS:,} characters.",
    )
    values["exit_plan"] = st.text_area(
        "Exit plan (needed for a time-bound trial)",
        current.get("exit_plan", ""),
        height=80,
        key=f"{key}.exit_plan",
        help="What happens if the trial is not working: how either of you can end it, and what "
        f"then. Up to {agreements.EXIT_PLAN_MAX_CHARS:,} characters.",
    )
    a, b, c = st.columns(3)
    values["status"] = choose(
        "Status", agreements.STATUSES, f"{key}.status", current.get("status", "draft"), where=a
    )
    values["review_on"] = b.date_input(
        "Review date",
        current.get("review_on"),
        format="DD/MM/YYYY",
        key=f"{key}.review_on",
        **TYPABLE_DATES,
    )
    values["confirmed_on"] = c.date_input(
        "Both confirmed it in session on",
        current.get("confirmed_on"),
        format="DD/MM/YYYY",
        key=f"{key}.confirmed_on",
        help="A confirmation belongs to the words confirmed: when the text changes, the new "
        "version waits to be confirmed again.",
        **TYPABLE_DATES,
    )
    return values


if chosen == NEW:
    new_key = saves.key("agreements.new")
    with st.form(new_key):
        st.header("New agreement", anchor=False)
        raw = fields({}, new_key)
        if st.form_submit_button("Save agreement", type="primary", key=f"{new_key}.save"):
            with calm():
                save_once(
                    lambda: agreements.save(app.db, actor, couple["id"], raw, today=today),
                    lambda saved: {NEXT: saved.agreement_id, NOTE: ("toast", "Agreement saved.")},
                )
    st.stop()

current = by_id[chosen]
# Only the open tab is drawn (and History read only when it is open): the edit form alone was
# most of the page's elements (issue 6).
view, edit, history = lazy_tabs(["Current version", "Edit", "History"], "agreements.tab")

if view.open:
    with view:
        st.header(plain(current["title"]), anchor=False)
        facts = [
            agreements.KINDS[current["kind"]],
            agreements.STATUSES[current["status"]],
            f"version {current['version']}, {when(current['edited_at'])}",
        ]
        st.caption(" · ".join(plain(f) for f in facts))
        if current["review_on"] and current["status"] in agreements.LIVE_STATUSES:
            if current["review_on"] <= today:
                st.warning(
                    f"Review was due on {shown(current['review_on'])}.", icon=":material/event:"
                )
            else:
                st.caption(f"Review on {shown(current['review_on'])}.")
        st.markdown(plain(current["body"]))
        if current["exit_plan"]:
            st.markdown(f"**Exit plan:** {plain(current['exit_plan'])}")
        if current["confirmed_on"]:
            st.caption(
                f"Both partners confirmed this version in session on {shown(current['confirmed_on'])}."
            )
        else:
            st.caption("This version is not yet confirmed by both partners in session.")

edit_key = f"{saves.key('agreements.edit')}.{chosen}"
if edit.open:
    # Drawn from this version: a save after another tab's new version is refused, not saved over it.
    seen_version = drawn_from(f"{edit_key}.title", current["version"])
    with edit, st.form(edit_key):
        raw = fields(current, edit_key)
        raw["change_note"] = st.text_input(
            "What changed, in a few words (kept with the new version)",
            key=f"{edit_key}.note",
        )
        if st.form_submit_button("Save as a new version", type="primary", key=f"{edit_key}.save"):

            def new_version() -> agreements.Saved | bool:
                saved = agreements.save(
                    app.db,
                    actor,
                    couple["id"],
                    raw,
                    agreement_id=chosen,
                    seen_version=seen_version,
                    today=today,
                )
                # Unchanged: the form is still drawn from `seen_version`.
                return saved if saved.changed else False

            def said(saved: agreements.Saved) -> dict:
                note = (
                    (
                        "info",
                        f"Saved as version {saved.version}. The text changed, so the confirmation "
                        f"of {shown(saved.unconfirmed_on)} stays with the earlier version: this one "
                        "is not confirmed yet. Give the date when both partners confirm it.",
                    )
                    if saved.unconfirmed_on
                    else ("toast", f"Saved as version {saved.version}.")
                )
                return {NOTE: note, drawn_key(f"{edit_key}.title"): DROP}

            with calm(form=edit_key):
                save_once(new_version, said)
    with edit:
        offer_newer(saves, edit_key)

if history.open:
    with history:
        versions = agreements.history(app.db, actor, couple["id"], chosen)
        st.caption(f"{len(versions)} version{'s' if len(versions) != 1 else ''}, oldest first.")
        for v in versions:
            who = f" by {plain(v['edited_by_name'])}" if v["edited_by_name"] else ""
            note = f": {plain(v['change_note'])}" if v["change_note"] else ""
            confirmed = (
                f" · confirmed by both on {shown(v['confirmed_on'])}" if v["confirmed_on"] else ""
            )
            st.markdown(
                f"- **Version {v['version']}**, {when(v['edited_at'])}{who}{note}{confirmed}"
            )
        if len(versions) > 1:
            st.header("What changed", anchor=False)
            numbers = [v["version"] for v in versions]
            a, b = st.columns(2)
            # Keyed by agreement and version count: a new version (or another agreement) starts
            # again from the newest change; with fixed keys History kept comparing the previous one.
            at = f"{chosen}.{len(numbers)}"
            old_n = a.selectbox(
                "From version", numbers, index=len(numbers) - 2, key=f"agreements.from.{at}"
            )
            new_n = b.selectbox(
                "To version", numbers, index=len(numbers) - 1, key=f"agreements.to.{at}"
            )
            old, new = versions[numbers.index(old_n)], versions[numbers.index(new_n)]
            found = agreements.changes(old, new)
            if not found:
                st.info("These two versions say the same thing.")
            st.caption(
                "Removed words are struck through, on red; added words are in bold, on green."
            )
            for change in found:
                with st.container(border=True):
                    st.markdown(f"**{change.label}**")
                    if change.words:
                        st.markdown(markdown.diff_markdown(list(change.words)))
                    else:
                        st.markdown(f"{plain(change.before)} → **{plain(change.after)}**")
