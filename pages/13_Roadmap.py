"""The couple's roadmap: both careers and the family's transitions on one timeline."""

import streamlit as st

from core import chart_tables, roadmap
from ui import charts, state
from ui.auth import require_login
from ui.once import Once, next_run
from ui.widgets import (
    calm,
    choose,
    confirm_delete,
    date_field,
    lazy_tabs,
    local_today,
    open_couple,
    plain,
    required,
)

app, actor = require_login("Roadmap")
couple = open_couple(app, actor)

partners = couple["partners"]
TOGETHER = "together"
# What the last save did, said by the next run (a double-click may start that run instead).
who_label = {p["id"]: p["name"] for p in partners} | {TOGETHER: "Both of us / the family"}

st.title(f"Roadmap · {plain(couple['label'])}", anchor=False)
st.caption(
    "Past milestones are the career history map; planned ones are the plan. Family "
    "transitions (a child starting school, a parent needing care, a visa ending) sit on the "
    "shared lane, with the review dates and deadlines set elsewhere in Tandem (agreements, "
    "decisions, seasons)."
)

data = roadmap.timeline(app.db, actor, couple["id"], local_today())
if data["frame"].empty and data["seasons"].empty:
    st.info("Nothing on the roadmap yet. Add the first milestone below.")
else:
    # The chart is as tall as its lanes' rows of labels need (core.roadmap lays them out).
    charts.kept_chart(roadmap.timeline_spec, data)
    charts.caption(
        f"{roadmap.LEGEND} Bars are spans of time; shaded bands are seasons (one still going "
        "runs to the right edge); the dashed line is today. A shortened label is whole in the "
        "tooltip of its dot (point at it), in the list under *Change or remove*, and in the "
        "dates behind the chart.",
        charts.numbers(chart_tables.roadmap, data),
    )
    if roadmap.outside_note(data):
        st.caption(
            "Events dated far from today are named above the chart instead of drawn, so the "
            "others stay readable. If a date is a slip, correct it under Change or remove."
        )


def event_fields(current: dict, key: str) -> dict:
    """The inputs of a roadmap event, filled with `current`."""
    a, b = st.columns(2)
    who = current.get("partner_id") or TOGETHER
    raw = {
        "partner_id": choose("Whose", who_label, f"{key}.who", who, where=a),
        "category": choose(
            "Kind",
            roadmap.CATEGORIES,
            f"{key}.category",
            current.get("category", "career"),
            where=b,
        ),
        "title": st.text_input(
            required("What"),
            current.get("title", ""),
            placeholder="e.g. Starts a PhD, Our eldest starts school, Visa ends",
            key=f"{key}.title",
        ),
    }
    a, b = st.columns(2)
    raw["starts_on"] = date_field(a, required("When"), current.get("starts_on"), f"{key}.starts")
    raw["ends_on"] = date_field(
        b, "Until (for something that lasts)", current.get("ends_on"), f"{key}.ends"
    )
    raw["note"] = st.text_input("Note", current.get("note", ""), key=f"{key}.note")
    if raw["partner_id"] == TOGETHER:
        raw["partner_id"] = None
    return raw


# The add form keeps what was typed until it is saved (an error must not empty it); then it is
# drawn afresh, and a double-click adds once (ui/once.py).
adds = Once("roadmap")
add_key = adds.key("roadmap.add")
# Only the open tab is drawn (issue 6).
add_tab, change_tab = lazy_tabs(["Add to the roadmap", "Change or remove"], "roadmap.tab")
if add_tab.open:
    with add_tab, st.form(add_key):
        raw = event_fields({}, add_key)
        typed = raw["title"].strip() or raw["note"].strip() or raw["starts_on"] or raw["ends_on"]
        if st.form_submit_button("Add", type="primary", key=f"{add_key}.go") and (
            typed or not adds.just_saved()  # an empty second half of a slow double-click
        ):
            with calm():
                added = f"Added to the roadmap: {plain(raw['title'].strip())}."
                adds.run(
                    lambda: roadmap.add(app.db, actor, couple["id"], raw),
                    lambda _: {state.TOAST: added},
                )
                st.rerun()

if change_tab.open:
    with change_tab:
        events = roadmap.events(app.db, actor, couple["id"])
        if not events:
            st.info("Nothing to change yet.")
        else:
            by_id = {e["id"]: e for e in events}
            shown = {
                i: f"{e['starts_on']:%b %Y} · {who_label.get(e['partner_id'] or TOGETHER)} · "
                f"{e['title']}"
                for i, e in by_id.items()
            }
            chosen = choose("Event", shown, "roadmap.chosen")
            with st.form(f"roadmap.edit.{chosen}"):
                raw = event_fields(by_id[chosen], f"roadmap.edit.{chosen}")
                save, remove = st.columns(2)
                if save.form_submit_button(
                    "Save", type="primary", key=f"roadmap.edit.{chosen}.save"
                ):
                    with calm():
                        then = next_run()  # before the write (see ui/once.py)
                        roadmap.update(app.db, actor, couple["id"], chosen, raw)
                        then[state.TOAST] = "Saved."
                        st.rerun()
                asked = remove.form_submit_button("Remove", key=f"roadmap.edit.{chosen}.remove")
            question = "Remove this event from the roadmap? This cannot be undone."
            if confirm_delete("roadmap.removing", chosen, asked, question):
                with calm():
                    then = next_run()  # before the write (see ui/once.py)
                    roadmap.remove(app.db, actor, couple["id"], chosen)
                    then[state.TOAST] = "Removed from the roadmap."
                    st.rerun()
