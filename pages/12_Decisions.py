"""Big decisions: facts, a week in each option, money, the long view, vetoes, the matrix."""

# Each partner fills in the opportunity matrix in session or through their private link.

from datetime import date

import streamlit as st

from core import decisions, links
from core.palette import distinct_names
from ui import charts, state, tables
from ui.auth import require_login
from ui.links import show_partners_issued
from ui.once import DROP, Once, Pick
from ui.widgets import (
    browser_zone,
    calm,
    choose,
    confirm_delete,
    drawn_from,
    drawn_key,
    lazy_expander,
    lazy_tabs,
    offer_newer,
    open_couple,
    plain,
    record_picker,
    required,
)

app, actor = require_login("Decisions")
couple = open_couple(app, actor)

NEW = "new"
CHOSEN = f"decisions.pick.{couple['id']}"
NEXT = Pick(CHOSEN)  # what a save leaves for the picker: the record to show next
ISSUED = f"{state.ISSUED_PREFIX}decisions.{couple['id']}"  # links made here, shown until left
# A factor or an option waiting for the counselor to confirm its removal: (kind, id). One at
# a time: asking about another forgets the first. Its buttons are keyed REMOVING.yes / .no.
REMOVING = "decisions.removing"
# Dates are typed or picked over a wide range, so that a mistyped year reaches core and is
# answered in words (the browser only turns a date outside the widget's range red).
TYPABLE_DATES = {"min_value": date(1000, 1, 1), "max_value": date(9999, 12, 31)}

# Records, options and factors added or removed in this session: the forms are drawn afresh
# after each (empty after a save, as typed after an error), and a double-click changes once
# (ui/once.py).
changes = Once("decisions")


def count(n: int, what: str) -> str:
    """'1 score', '4 scores'."""
    return f"{n} {what}{'' if n == 1 else 's'}"


def repeat(typed: str) -> bool:
    """An empty add just after a change: a slow double-click's second half (the first added the
    option or factor and emptied the form), let pass rather than refused."""
    return changes.just_saved() and not typed.strip()


def change_once(change, message: str, *, show_made: bool = False) -> None:
    """Make `change` once per click (ui/once.py), then run again to renew the forms and say
    `message`; with `show_made`, show the record `change` returned."""
    changes.run(
        change,
        lambda made: {state.TOAST: message, REMOVING: DROP} | ({NEXT: made} if show_made else {}),
    )
    st.rerun()


# Each option keeps its own figure (a new one starts from the last option's): one changed
# later is not changed in the others, which the help says (seen in a browser).
COSTS_HELP = (
    "What the household spends a month now, whatever is chosen: a new option starts with the "
    "figure of the last option that has one. Changing it here changes it for this option only, "
    "so change it in each. The cost of living beside it adjusts it for this option."
)


def option_form(did: int, o: dict, k: str) -> bool:
    """One option's form, in its open expander; True when its removal was asked."""
    with st.form(k):
        # Labelled as core names the fields in its messages (decisions.OPTION_LABELS).
        label = {f: text.format(*names) for f, text in decisions.OPTION_LABELS.items()}
        raw = {"label": st.text_input(label["label"], o["label"], key=f"{k}.label")}
        raw["week"] = st.text_area(
            label["week"],
            o["week"],
            key=f"{k}.week",
            help="Who does the school run, who travels, when you see each other.",
        )
        c1, c2 = st.columns(2)
        raw["impact_1"] = c1.text_area(label["impact_1"], o["impact_1"], key=f"{k}.i1")
        raw["impact_2"] = c2.text_area(label["impact_2"], o["impact_2"], key=f"{k}.i2")
        c1, c2, c3 = st.columns(3)
        raw["view_1y"] = c1.text_area(label["view_1y"], o["view_1y"], key=f"{k}.v1")
        raw["view_5y"] = c2.text_area(label["view_5y"], o["view_5y"], key=f"{k}.v5")
        raw["view_10y"] = c3.text_area(label["view_10y"], o["view_10y"], key=f"{k}.v10")
        st.markdown("**Money, per month** (take-home pay, in the couple's own currency)")
        c1, c2, c3, c4, c5 = st.columns(5)
        money_inputs = (
            (c1, "income_1", label["income_1"]),
            (c2, "income_2", label["income_2"]),
            (c3, "costs", label["costs"]),
            (c5, "one_off", label["one_off"]),
        )
        for col, field, label in money_inputs:
            raw[field] = col.number_input(
                label,
                value=o[field],
                step=100.0,
                format="%.0f",
                key=f"{k}.{field}",
                help=COSTS_HELP if field == "costs" else None,
            )
        raw["cost_of_living"] = c4.number_input(
            "Cost of living (% change)",
            value=o["cost_of_living"],
            step=1.0,
            format="%.0f",
            key=f"{k}.col",
        )
        c1, c2 = st.columns(2)
        for col, n in ((c1, 1), (c2, 2)):
            raw[f"veto_{n}"] = col.checkbox(
                f"{plain(names[n - 1])} vetoes this option", o[f"veto_{n}"], key=f"{k}.veto{n}"
            )
            raw[f"veto_need_{n}"] = col.text_input(
                "The core need it protects", o[f"veto_need_{n}"], key=f"{k}.need{n}"
            )
        save, remove = st.columns([1, 1])
        if save.form_submit_button("Save option", type="primary", key=f"{k}.save"):
            with calm():
                decisions.update_option(app.db, actor, couple["id"], did, o["id"], raw)
                st.toast("Option saved.")
                st.rerun()
        return remove.form_submit_button("Remove option", key=f"{k}.remove")


def ask_to_remove_option(did: int, o: dict, asked: bool) -> None:
    """The question under an option whose removal was asked, and the removal once confirmed.

    Asked only under the option it is about (confirm_delete would forget it under the others). A
    removal takes the partners' work with it: nothing goes until confirmed, and confirming twice
    removes once (the question is gone when the second click comes)."""
    if not (asked or st.session_state.get(REMOVING) == ("option", o["id"])):
        return
    m = decisions.matrix(app.db, actor, couple["id"], did)  # read when asked only
    scored = sum(1 for (_, oid, _) in m.scores if oid == o["id"])
    takes = f", with the {count(scored, 'score')} it has in the matrix" if scored else ""
    question = (
        f"Remove the option “{plain(o['label'])}” and everything written about it{takes}? "
        "This cannot be undone."
    )
    if confirm_delete(REMOVING, ("option", o["id"]), asked, question, yes="Yes, remove it"):
        with calm():
            change_once(
                lambda: decisions.remove_option(app.db, actor, couple["id"], did, o["id"]),
                f"Option removed: {plain(o['label'])}.",
            )


def options_tab_body(did: int, opts: list[dict]) -> None:
    """Each option folded (its form drawn only when open), then a form to add one."""
    st.caption(
        "For each option: a concrete week in it, what it means for each career, the 1-, 5- and "
        "10-year view, and any veto. A veto is for a core need only, and names it."
    )
    for o in opts:
        k = f"decisions.{did}.option.{o['id']}"
        # Only an open option's form is drawn: closed, each still sent ~20 elements.
        box = lazy_expander(f"Option: {plain(o['label'])}", f"{k}.fold")
        asked = False
        if box.open:
            with box:
                asked = option_form(did, o, k)
        ask_to_remove_option(did, o, asked)
    add_option = changes.key(f"decisions.{did}.add_option")
    with st.form(add_option):
        label = st.text_input(
            "Add an option", placeholder="e.g. Stay where we are", key=f"{add_option}.label"
        )
        if st.form_submit_button("Add option", key=f"{add_option}.go") and not repeat(label):
            with calm():
                change_once(
                    lambda: decisions.add_option(app.db, actor, couple["id"], did, label),
                    f"Option added: {plain(label.strip())}.",
                )


def factor_forms(did: int, m: decisions.Matrix) -> None:
    """Add a factor; remove one (asked first, with what the partners gave it)."""
    add_factor = changes.key(f"decisions.{did}.add_factor")
    with st.form(add_factor):
        # The button as wide as its words ("Add fac…" on a tablet, in columns).
        row = st.container(horizontal=True, vertical_alignment="bottom")
        factor = row.text_input(
            "Add a factor",
            placeholder="e.g. Salary, Growth, Near family, Work-life balance",
            key=f"{add_factor}.label",
        )
        if row.form_submit_button("Add factor", key=f"{add_factor}.go") and not repeat(factor):
            with calm():
                change_once(
                    lambda: decisions.add_factor(app.db, actor, couple["id"], did, factor),
                    f"Factor added: {plain(factor.strip())}.",
                )
    if not m.factors:
        return
    a, b = st.columns([4, 1], vertical_alignment="bottom")
    factor_labels = {f["id"]: f["label"] for f in m.factors}
    gone = choose("Remove a factor", factor_labels, f"decisions.{did}.remove_factor", where=a)
    asked = b.button("Remove…", key=f"decisions.{did}.remove_factor.go")
    # The factor asked about stays asked about if the box is turned to another meanwhile.
    pending = ("factor", gone) if asked else st.session_state.get(REMOVING)
    if not (pending and pending[0] == "factor" and pending[1] in factor_labels):
        return
    fid = pending[1]
    weights = sum(1 for (f, _) in m.weights if f == fid)
    scores = sum(1 for (f, _, _) in m.scores if f == fid)
    given = [count(n, what) for n, what in ((weights, "weight"), (scores, "score")) if n]
    takes = f", with the {' and '.join(given)} the partners gave it" if given else ""
    question = (
        f"Remove the factor “{plain(factor_labels[fid])}” from the matrix{takes}? "
        "This cannot be undone."
    )
    if confirm_delete(REMOVING, pending, asked, question, yes="Yes, remove it"):
        with calm():
            change_once(
                lambda: decisions.remove_factor(app.db, actor, couple["id"], did, fid),
                f"Factor removed: {plain(factor_labels[fid])}.",
            )


def partner_grid(did: int, m: decisions.Matrix, partner: dict) -> None:
    """One partner's weights and scores: a row of boxes per factor, saved together."""
    pid = partner["id"]
    k = f"decisions.{did}.grid.{pid}"
    with st.form(k):
        # Keyed: on a phone, where the columns stack, this row goes and each box shows its own
        # label instead (ui.widgets.READABLE_CSS).
        head = st.container(key=f"{k}.head").columns([3, 1, *([1] * len(m.options))])
        head[0].markdown("**Factor**")
        head[1].markdown("**Weight**")
        for col, o in zip(head[2:], m.options, strict=True):
            col.markdown(f"**{plain(o['label'])}**")
        weights, scores = {}, {}
        for f in m.factors:
            cols = st.columns([3, 1, *([1] * len(m.options))])
            cols[0].markdown(plain(f["label"]))
            weights[f["id"]] = cols[1].number_input(
                f"Weight of {plain(f['label'])}",
                value=m.weights.get((f["id"], pid)),
                step=1,
                label_visibility="collapsed",
                key=f"{k}.w.{f['id']}",
            )
            for col, o in zip(cols[2:], m.options, strict=True):
                scores[(f["id"], o["id"])] = col.number_input(
                    f"{plain(o['label'])} on {plain(f['label'])}",
                    value=m.scores.get((f["id"], o["id"], pid)),
                    step=1,
                    label_visibility="collapsed",
                    key=f"{k}.s.{o['id']}.{f['id']}",
                )
        if st.form_submit_button(
            f"Save {plain(partner['name'])}'s matrix", type="primary", key=f"{k}.save"
        ):
            with calm():
                decisions.save_partner_grid(app.db, actor, couple["id"], did, pid, weights, scores)
                st.toast("Saved.")
                st.rerun()


def matrix_results(m: decisions.Matrix) -> None:
    """The options' totals, together and per partner, and their chart."""
    results = decisions.results(m)
    st.header("Results", anchor=False)
    pair = list(zip(names, m.partners, strict=True))
    # "Together", the result the caption explains, next to the option: last, it was off the
    # side of a tablet's screen (walkthrough).
    head = [
        "Option",
        "Together",
        *(f"{name} (weighted)" for name, _ in pair),
        *(f"{name} (points)" for name, _ in pair),
    ]
    rows = [
        (
            r.label,
            tables.one_place(r.together),
            *(tables.one_place(r.by_partner[p["id"]].mean) for _, p in pair),
            *(tables.figure(r.by_partner[p["id"]].points) for _, p in pair),
        )
        for r in results
    ]
    # The option stays on the left while a narrow screen scrolls its scores sideways; a dash
    # where a partner has rated nothing yet for that option.
    st.html(
        tables.table_html(
            "tandem-matrix",
            "Opportunity matrix results",
            head,
            rows,
            "Each option's weighted scores and points",
            numbers=range(1, len(head)),
        )
    )
    st.caption(
        "Points add up weight × score over the factors. The weighted score divides the "
        "points by that partner's weights, so it reads on the same 1–10 scale for both. "
        "“Together” is the mean of the two weighted scores: neither partner's weights count "
        "for more. A conversation aid, not a verdict."
    )
    if not all(r.complete for r in results):
        st.caption(
            "Some cells are still empty: totals use only the factors a partner has given both "
            "a weight and a score. A dash means that partner has no such factor yet for "
            "that option (and “Together” waits for both)."
        )
    frame = decisions.results_frame(m, results)
    if frame["score"].notna().any():
        charts.kept_chart(decisions.matrix_spec, frame, names)


def send_matrix(did: int) -> None:
    """A matrix link for each partner's phone, and the links made here until the page is left."""
    st.header("Send the matrix to each partner's phone", anchor=False)
    st.caption(
        "Their form asks for their own weights, then scores for each option. Their form says "
        "the numbers will be compared in session. Sending again replaces the earlier link."
    )
    cols = st.columns(2)
    for col, partner in zip(cols, partners, strict=True):
        if col.button(
            f"Create matrix link for {plain(partner['name'])}",
            key=f"decisions.{did}.link.{partner['id']}",
        ):
            with calm():
                issued = links.issue_decision_form(app.db, actor, couple["id"], partner["id"], did)
                st.session_state.setdefault(ISSUED, {})[partner["id"]] = issued
    show_partners_issued(app, ISSUED, partners, shared=True)


def matrix_tab_body(did: int, m: decisions.Matrix) -> None:
    """The factors, each partner's grid (one at a time), the results, and the partners' links."""
    st.caption(
        "Each partner gives every factor their own weight (1–10: how much it matters to them) "
        "and scores every option on it (1–10). Fill it in here together, or send each partner "
        "the matrix on their phone."
    )
    factor_forms(did, m)
    if not m.factors or not m.options:
        st.info("Add at least one factor here and one option on the Options tab.")
        return
    # One partner's grid at a time: each is a row of boxes per factor (lazy tabs).
    grids = lazy_tabs(
        [f"{plain(name)}'s weights and scores" for name in names], f"decisions.{did}.grid.tab"
    )
    for grid, partner in zip(grids, m.partners, strict=True):
        if grid.open:
            with grid:
                partner_grid(did, m, partner)
    matrix_results(m)
    send_matrix(did)


def money_tab_body(opts: list[dict]) -> None:
    """A monthly money picture per option with amounts."""
    st.caption(
        "A simple monthly picture per option: both take-home incomes, less household costs "
        "adjusted for the change in cost of living. The first year also takes off one-off costs. "
        "Amounts are in the couple's own currency, as entered for each option on the Options tab."
    )
    figures = [(o, decisions.money(o)) for o in opts]
    if all(mo is None for _, mo in figures):
        st.info("Enter incomes and costs for an option on the Options tab to see its money.")
        return
    # Every option, one without amounts too: left out, it looked as if it cost nothing or had
    # been forgotten (a walkthrough).
    rows = [
        (o["label"], *(None,) * 4, "no amounts yet")
        if mo is None
        else (
            o["label"],
            tables.figure(mo.income),
            tables.figure(mo.costs),
            tables.figure(mo.monthly_net),
            tables.figure(mo.first_year),
            "yes" if mo.complete else "some amounts missing",
        )
        for o, mo in figures
    ]
    st.html(
        tables.table_html(
            "tandem-money",
            "Money per option",
            ("Option", "Income / month", "Costs / month", "Left / month", "First year", "Complete"),
            rows,
            "Each option's money per month and in its first year",
            numbers=range(1, 5),
        )
    )


partners = couple["partners"]
names = distinct_names(partners)

st.title(f"Decisions · {plain(couple['label'])}", anchor=False)
st.caption(
    "One record per big decision: gather the facts, live a week in each option, look at both "
    "careers, money and the long view, and weigh the options with the opportunity matrix."
)

rows = decisions.for_couple(app.db, actor, couple["id"])
by_id = {r["id"]: r for r in rows}
chosen = record_picker(
    "Decision",
    list(by_id),
    CHOSEN,
    NEW,
    lambda c: (
        "+ New decision"
        if c == NEW
        else f"{by_id[c]['title']} ({decisions.STATUSES[by_id[c]['status']]})"
    ),
)

if chosen == NEW:
    new_key = changes.key("decisions.new")
    with st.form(new_key):
        title = st.text_input(
            required("What is being decided?"),
            placeholder="e.g. Offer in Seattle",
            key=f"{new_key}.title",
        )
        kind = choose("Kind", decisions.KINDS, f"{new_key}.kind")
        if st.form_submit_button("Start the decision record", type="primary", key=f"{new_key}.go"):
            with calm():
                change_once(
                    lambda: decisions.create(app.db, actor, couple["id"], title, kind),
                    "Decision record started.",
                    show_made=True,
                )
    st.stop()

d = by_id[chosen]
did = d["id"]
opts = decisions.options(app.db, actor, couple["id"], did)
# Only the open tab is drawn: the four took ~250 elements, most of them the options' forms and
# the matrix's grids of boxes (a 0.3 s click on a decision with two options and four factors;
# issue 6).
framework, options_tab, matrix_tab, money_tab = lazy_tabs(
    ["The decision", "Options", "Opportunity matrix", "Money"], "decisions.tab"
)

# Drawn from this version: a save after another tab's is refused, not written over it.
# Each save draws the form afresh (ui/once.py), and so does "Show the newer version".
frames = Once("decisions.frame")
k = f"{frames.key('decisions')}.{did}"
if framework.open:
    seen = drawn_from(f"{k}.title", d["updated_at"])
    with framework, st.form(f"{k}.framework"):
        left, mid, right = st.columns([3, 2, 2])
        raw = {
            "title": left.text_input("Title", d["title"], key=f"{k}.title"),
            "kind": choose("Kind", decisions.KINDS, f"{k}.kind", d["kind"], where=mid),
            "status": choose("Status", decisions.STATUSES, f"{k}.status", d["status"], where=right),
        }
        raw["facts"] = st.text_area(
            decisions.DECISION_LABELS["facts"],
            d["facts"],
            height=120,
            key=f"{k}.facts",
            help="What exactly is on offer, what it asks in time, travel and money: facts, not fears.",
        )
        a, b = st.columns([1, 2])
        raw["deadline_on"] = a.date_input(
            "Deadline", d["deadline_on"], format="DD/MM/YYYY", key=f"{k}.deadline", **TYPABLE_DATES
        )
        raw["urgency"] = b.radio(
            "Is the urgency real?",
            list(decisions.URGENCY),
            index=list(decisions.URGENCY).index(d["urgency"]),
            format_func=decisions.URGENCY.get,
            horizontal=True,
            key=f"{k}.urgency",
        )
        raw["urgency_note"] = st.text_input(
            decisions.DECISION_LABELS["urgency_note"], d["urgency_note"], key=f"{k}.urgency_note"
        )
        st.markdown("**Outcome**")
        a, b, c = st.columns(3)
        outcomes = {None: "Not decided yet", **{o["id"]: o["label"] for o in opts}}
        raw["chosen_option_id"] = choose(
            "Chosen option", outcomes, f"{k}.chosen_option", d["chosen_option_id"], where=a
        )
        raw["decided_on"] = b.date_input(
            "Decided on",
            d["decided_on"],
            format="DD/MM/YYYY",
            key=f"{k}.decided_on",
            **TYPABLE_DATES,
        )
        raw["follow_up_on"] = c.date_input(
            "Follow up on",
            d["follow_up_on"],
            format="DD/MM/YYYY",
            key=f"{k}.follow_up",
            **TYPABLE_DATES,
        )
        raw["outcome"] = st.text_area(
            decisions.DECISION_LABELS["outcome"], d["outcome"], height=90, key=f"{k}.outcome"
        )
        if st.form_submit_button("Save", type="primary", key=f"{k}.save"):
            zone = browser_zone()  # dates the record's opening in a message
            with calm(form=f"{k}.framework"):
                frames.run(
                    lambda: decisions.update(
                        app.db, actor, couple["id"], did, raw, seen=seen, zone=zone
                    ),
                    lambda _, k=k: {drawn_key(f"{k}.title"): DROP, state.TOAST: "Decision saved."},
                )
                st.rerun()
    with framework:
        offer_newer(frames, f"{k}.framework")

if options_tab.open:
    with options_tab:
        options_tab_body(did, opts)

if matrix_tab.open:
    m = decisions.matrix(app.db, actor, couple["id"], did)
    with matrix_tab:
        matrix_tab_body(did, m)

if money_tab.open:
    with money_tab:
        money_tab_body(opts)
