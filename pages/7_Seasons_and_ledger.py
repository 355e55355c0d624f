"""A couple's seasons (whose career leads, when, on what terms) and their sacrifice ledger."""

import streamlit as st

from core import ledger, seasons
from core.dates import shown
from ui import state, tables
from ui.auth import require_login
from ui.once import Once, Pick
from ui.sidebar import EQUITY
from ui.widgets import (
    calm,
    choose,
    confirm_delete,
    date_field,
    lazy_tabs,
    local_today,
    open_couple,
    picker_key,
    plain,
)

app, actor = require_login("Seasons and ledger")
couple = open_couple(app, actor)
partners = couple["partners"]
names = {p["id"]: p["name"] for p in partners}
today = local_today()  # the counselor's, not the server's UTC date
NEW = 0  # the "add a new one" choice in the pickers below
LEDGER_HEAD = ("Date", "Who gave", "What", "How much", "Acknowledged", "Repaid", "Note")
# After a save or a deletion the picker shows the record saved (or a new one), and the form is
# drawn afresh under new keys: from what was saved, not from what the browser still holds. A
# double-click saves once (ui/once.py).
saves = {part: Once(f"seasons_ledger.{part}") for part in ("season", "ledger")}


def form_prefix(part: str, chosen: int) -> str:
    """Widget-key prefix of a form: 'season.0.' at first, renewed after every save."""
    return f"{saves[part].key(part)}.{chosen}."


def save_once(part: str, save, message: str) -> None:
    """Run `save` (which returns the record to show next: NEW after a deletion) once per click,
    then run again to show that record in fresh widgets (its picker is set before it is drawn)
    and say `message`."""
    saves[part].run(save, lambda record: {Pick(f"{part}.pick"): record, state.TOAST: message})
    st.rerun()


def save_and_delete_buttons(noun: str, k: str, chosen: int) -> tuple[bool, bool]:
    """A form's *Save* and, for a record already kept, *Delete*, side by side: whether each
    was pressed."""
    save, remove = st.columns([1, 1])
    saved = save.form_submit_button(f"Save {noun}", type="primary", key=k + "save")
    return saved, chosen != NEW and remove.form_submit_button(f"Delete {noun}", key=k + "delete")


def save_or_delete(part, records, chosen, raw, saved, deleted, noun, question) -> None:
    """A form's *Save* (a new record, or the chosen one updated through `records`, the core
    module: seasons or ledger) and its *Delete*, asked first (`question`), each done once."""
    if saved:

        def save() -> int:
            if chosen == NEW:
                return records.create(app.db, actor, couple["id"], raw)
            records.update(app.db, actor, couple["id"], chosen, raw)
            return chosen

        with calm():
            save_once(part, save, f"{noun} saved.")
    if confirm_delete(f"{part}.deleting", chosen, deleted, question):

        def delete() -> int:
            records.delete(app.db, actor, couple["id"], chosen)
            return NEW

        with calm():
            save_once(part, delete, f"{noun} deleted.")


st.title(f"Seasons and ledger · {plain(couple['label'])}", anchor=False)
st.caption(
    "Fairness is judged over years, in chapters where one career leads and the other steadies. "
    "Seasons record those chapters; the ledger records what each partner gave up for the other."
)
# Only the open tab is drawn: each holds a list and its own form (issue 6).
season_tab, ledger_tab = lazy_tabs(["Seasons", "Ledger"], "seasons_ledger.tab")

# -- seasons --------------------------------------------------------------------------------------
if season_tab.open:
    with season_tab:
        rows = seasons.for_couple(app.db, actor, couple["id"])
        running = seasons.current(rows, today)
        if not rows:
            st.info(
                "No seasons yet. Add the first below: who leads now, since when, on what terms."
            )
        for s in reversed(rows):
            with st.container(border=True):
                head, badge = st.columns([4, 1])
                head.markdown(
                    f"**{plain(seasons.name(s, names))}** · {plain(seasons.span(s, today))}"
                )
                lead = seasons.lead_label(s, names)
                badge.badge(
                    f"{lead} leads" if s["lead_partner_id"] else "Balanced",
                    color="blue"
                    if s["lead_partner_id"] == partners[0]["id"]
                    else ("orange" if s["lead_partner_id"] == partners[1]["id"] else "gray"),
                )
                if s["terms"]:
                    st.markdown(plain(s["terms"]))
                if s["review_on"]:
                    late = s is running and s["review_on"] < today
                    line = f"Review {'was due' if late else 'due'} {shown(s['review_on'])}"
                    (st.warning if late else st.caption)(line)

        st.header("Add or change a season", anchor=False)
        by_id = {s["id"]: s for s in rows}
        shown = {NEW: "A new season"} | {
            s["id"]: f"{seasons.name(s, names)} ({seasons.span(s, today)})" for s in rows
        }
        chosen = choose("Season", shown, picker_key("season.pick"))
        current = by_id.get(chosen, {})
        k = form_prefix("season", chosen)
        leads = [p["id"] for p in partners] + [seasons.BALANCED]
        with st.form(f"season-form-{k}"):
            title = st.text_input(
                "Name",
                current.get("title", ""),
                key=k + "title",
                # The couple's own names: the example names of another couple read as a mix-up.
                placeholder=f"e.g. {partners[1]['name']} goes for partner",
                help="Left empty, the season is called after whose career leads "
                f"(“{plain(partners[0]['name'])} leads”).",
            )
            lead = st.radio(
                "Whose career leads",
                leads,
                # A new season starts with no choice: a Save without one is refused (below) rather
                # than recording the first-listed partner as leading.
                index=leads.index(current["lead_partner_id"] or seasons.BALANCED)
                if current
                else None,
                format_func=lambda v: seasons.BALANCED_LABEL if v == seasons.BALANCED else names[v],
                horizontal=True,
                key=k + "lead",
            )
            c1, c2, c3 = st.columns(3)
            starts = date_field(c1, "Starts", current.get("starts_on", today), k + "starts")
            ends = date_field(
                c2, "Last day (empty: still going)", current.get("ends_on"), k + "ends"
            )
            review = date_field(c3, "Review on (optional)", current.get("review_on"), k + "review")
            # No max_chars: the browser would drop a longer paste without a word; core says how
            # long it is and what the limit is, and the text stays in the box to shorten.
            terms = st.text_area(
                "Terms both agreed",
                current.get("terms", ""),
                height=100,
                key=k + "terms",
                help=f"Up to {seasons.TERMS_MAX_CHARS:,} characters.",
            )
            saved, deleted = save_and_delete_buttons("season", k, chosen)
        raw = {
            "title": title,
            "lead": lead,
            "starts_on": starts,
            "ends_on": ends,
            "review_on": review,
            "terms": terms,
        }
        if saved and lead is None:
            st.error("Choose whose career leads, or Balanced.")
            saved = False
        save_or_delete(
            "season",
            seasons,
            chosen,
            raw,
            saved,
            deleted,
            "Season",
            "Delete this season? Its dates, terms and review go with it; this cannot be undone.",
        )

# -- the ledger -----------------------------------------------------------------------------------
if ledger_tab.open:
    with ledger_tab:
        events = ledger.for_couple(app.db, actor, couple["id"])
        by_id = {e["id"]: e for e in events}
        # One event can repay several sacrifices (a move that makes up for two declined offers):
        # each repaying event lists every one it repays.
        repays: dict[int, list[dict]] = {}
        for e in events:
            if e["repaid_by_id"]:
                repays.setdefault(e["repaid_by_id"], []).append(e)
        if events:
            rows = [
                (
                    shown(e["occurred_on"]),
                    names.get(e["giver_partner_id"], "?"),
                    ledger.KINDS.get(e["kind"], e["kind"]),
                    ledger.SIZES[e["size"]],
                    "yes" if e["acknowledged"] else "not yet",
                    # Both ways in one form, the other event described in full (a walkthrough
                    # read "repays 15 Feb 2021" beside "10 Jun 2024 · Jonas: Declined…").
                    "repaid by " + ledger.describe(by_id[e["repaid_by_id"]], names)
                    if e["repaid_by_id"] in by_id
                    else (
                        "repays " + "; ".join(ledger.describe(r, names) for r in repays[e["id"]])
                        if e["id"] in repays
                        else "not yet"
                    ),
                    e["note"],
                )
                for e in reversed(events)
            ]
            # An HTML table, not Streamlit's data grid (issue 6): the date and the giver stay
            # on the left while a narrow screen scrolls sideways; about ten rows in sight.
            st.html(
                tables.table_html(
                    "tandem-ledger",
                    "Sacrifice ledger",
                    LEDGER_HEAD,
                    rows,
                    "What each partner gave up, newest first",
                    prose={5, 6},
                    pinned=2,
                    first_rem=7,
                    row_header=1,
                    max_height_rem=24,
                )
            )
            given = {
                p["id"]: sum(1 for e in events if e["giver_partner_id"] == p["id"])
                for p in partners
            }
            # A repayment is not itself waiting to be repaid.
            open_items = {
                p["id"]: sum(
                    1
                    for e in events
                    if e["giver_partner_id"] == p["id"]
                    and not e["repaid_by_id"]
                    and e["id"] not in repays
                )
                for p in partners
            }
            st.caption(
                " · ".join(
                    f"{plain(names[pid])}: {given[pid]} logged, {open_items[pid]} not repaid"
                    for pid in names
                )
            )
        else:
            st.info("Nothing logged yet. Add what each partner gave up for the other below.")

        st.header("Log or change an event", anchor=False)
        described = {e["id"]: ledger.describe(e, names) for e in reversed(events)}
        chosen = choose("Event", {NEW: "A new event"} | described, picker_key("ledger.pick"))
        current = by_id.get(chosen, {})
        k = form_prefix("ledger", chosen)
        partner_ids = [p["id"] for p in partners]
        kinds = list(ledger.KINDS)
        with st.form(f"ledger-form-{k}"):
            c1, c2, c3 = st.columns(3)
            when = date_field(c1, "Date", current.get("occurred_on", today), k + "date")
            giver = c2.radio(
                "Who gave",
                partner_ids,
                # No choice on a new event: neither partner is the default giver (core asks).
                index=partner_ids.index(current["giver_partner_id"]) if current else None,
                format_func=names.get,
                horizontal=True,
                key=k + "giver",
            )
            size = c3.radio(
                "How much",
                list(ledger.SIZES),
                index=list(ledger.SIZES).index(current.get("size", 2)),
                format_func=ledger.SIZES.get,
                horizontal=True,
                key=k + "size",
            )
            kind = st.selectbox(
                "What happened",
                kinds,
                index=kinds.index(current["kind"]) if current else None,
                placeholder="Choose what happened",
                format_func=ledger.KINDS.get,
                key=k + "kind",
            )
            note = st.text_input(
                "Note (optional)",
                current.get("note", ""),
                key=k + "note",
                placeholder="e.g. Turned down the New York role",
            )
            acknowledged = st.checkbox(
                "The other partner has acknowledged it",
                current.get("acknowledged", False),
                key=k + "ack",
            )
            # Only what core would take: a later event where the other partner gave. (A new
            # event's date and giver are known only once it is saved: every event is offered.)
            repayments = {NEW: "Not repaid yet"} | {
                e["id"]: described[e["id"]]
                for e in events
                if e["id"] != chosen
                and (
                    not current
                    or e["id"] == current.get("repaid_by_id")
                    or ledger.repayment_problem(current, e) is None
                )
            }
            repaid_by = choose(
                "Repaid by (a later event where the other partner gave)",
                repayments,
                k + "repaid",
                current.get("repaid_by_id"),
            )
            saved, deleted = save_and_delete_buttons("event", k, chosen)
        raw = {
            "occurred_on": when,
            "giver": giver,
            "size": size,
            "kind": kind,
            "note": note,
            "acknowledged": acknowledged,
            "repaid_by": repaid_by or None,
        }
        save_or_delete(
            "ledger",
            ledger,
            chosen,
            raw,
            saved,
            deleted,
            "Ledger event",
            "Delete this ledger event? This cannot be undone.",
        )

    st.page_link(EQUITY, label="See how it adds up over time", icon=":material/monitoring:")
