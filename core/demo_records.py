"""The demo practice's agreements, decisions, roadmaps and sessions (fictional, like the couples).

Dates are set relative to the day the demo is seeded, so the demo always has a recent session,
a decision with a deadline ahead and a review date that has just come.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from core import agreements, couples, decisions, roadmap, sessions
from core.accounts import Actor
from core.clock import utcnow
from core.db import Database


def _years(today: date, years: float) -> date:
    return today + timedelta(days=round(365.25 * years))


def _on(today: date, days_ago: int) -> datetime:
    """An afternoon `days_ago` days before `today`: when a version of an agreement was saved.
    A version saved on the day the demo is seeded, confirmed by both weeks before, read as a
    slip, and a session summary of a week ago showed the agreement still a draft."""
    return datetime.combine(today - timedelta(days=days_ago), time(15))


def _couple(db: Database, actor: Actor, label: str) -> dict | None:
    for row in couples.caseload(db, actor, status="all"):
        if row["label"] == label:
            return couples.get(db, actor, row["id"])
    return None


def seed(db: Database, actors: dict[str, Actor], today: date | None = None) -> None:
    """Give a few demo couples agreements, a decision with a filled matrix, roadmaps, sessions."""
    today = today or utcnow().date()
    demo = actors["demo"]
    rachel_marcus = _couple(db, demo, "Rachel & Marcus")
    if rachel_marcus:
        _rachel_and_marcus(db, demo, rachel_marcus, today)
    zoe_lukasz = _couple(db, demo, "Zoë & Łukasz")
    if zoe_lukasz:
        _zoe_and_lukasz(db, demo, zoe_lukasz, today)
    fang_tomas = _couple(db, demo, "王芳 & Tomás")
    if fang_tomas:
        _fang_and_tomas(db, demo, fang_tomas, today)
    elif_mateo = _couple(db, demo, "Elif & Mateo")
    if elif_mateo:
        agreements.save(
            db,
            demo,
            elif_mateo["id"],
            {
                "title": "Part-time in turns while our child is under three",
                "kind": "turns",
                "status": "active",
                "body": "Elif works four days a week until our child turns two; then Mateo moves "
                "to four days until three. Whoever is on four days is not the default for sick "
                "days: we alternate those.",
                "review_on": today + timedelta(days=60),
                "confirmed_on": today - timedelta(days=200),
            },
            now=_on(today, 200),
        )


def _rachel_and_marcus(db: Database, actor: Actor, couple: dict, today: date) -> None:
    cid = couple["id"]
    rachel, marcus = couple["partners"]
    urgent = agreements.save(
        db,
        actor,
        cid,
        {
            "title": "How we decide on urgent offers",
            "kind": "offers",
            "status": "draft",
            "body": "Neither of us answers a job offer on the spot. We ask for a week and talk it "
            "through before saying yes or no.",
        },
        now=_on(today, 35),
    )
    agreements.save(
        db,
        actor,
        cid,
        {
            "title": "How we decide on urgent offers",
            "kind": "offers",
            "status": "active",
            "body": "Neither of us answers a job offer on the spot. We ask for at least a week, "
            "check whether the deadline is real, and talk it through with the matrix before "
            "saying yes or no. If a week is refused, that tells us something about the employer.",
            "review_on": today - timedelta(days=3),
            "confirmed_on": today - timedelta(days=21),
            "change_note": "Added: check the deadline is real; use the matrix.",
        },
        agreement_id=urgent.agreement_id,
        now=_on(today, 21),
    )
    vetoes = agreements.save(
        db,
        actor,
        cid,
        {
            "title": "Vetoes are for core needs only",
            "kind": "veto",
            "status": "active",
            "body": "Each of us can veto a move, but only by naming the core need it protects "
            "(not a preference), and the one who vetoes helps look for a way that meets both.",
            "review_on": _years(today, 1),
            "confirmed_on": today - timedelta(days=21),
        },
        now=_on(today, 21),
    )
    # The story (core/demo_history.py): Rachel led for a year and more after years of Marcus
    # going for partner; they moved to Seattle for her role. Now his firm wants him back in
    # Chicago, near his mother: whose turn is it?
    offer = decisions.create(
        db, actor, cid, "Marcus's offer to lead the Chicago office", "relocation"
    )
    decisions.update(
        db,
        actor,
        cid,
        offer,
        {
            "facts": "Managing partner of the firm's Chicago office, about 25% more pay. The "
            "firm can hold the post until spring. Rachel's start-up has no Chicago office, and "
            "she is a year into the role they moved to Seattle for.",
            "deadline_on": today + timedelta(days=24),
            "urgency": "movable",
            "urgency_note": "The firm said the start can wait until spring.",
            "follow_up_on": today + timedelta(days=40),
        },
    )
    stay = decisions.add_option(db, actor, cid, offer, "Stay in Seattle")
    move = decisions.add_option(db, actor, cid, offer, "Move back to Chicago together")
    later = decisions.add_option(db, actor, cid, offer, "Ask to start in 18 months")
    option_text = {
        stay: {
            "week": "Same routines; Marcus flies to Chicago to see his mother once a month.",
            "impact_1": "Keeps the role they moved for, with the start-up's next round ahead.",
            "impact_2": "Stays a partner in a small office; the post goes to someone else.",
            "view_5y": "Rachel established; Marcus may feel his turn was skipped.",
            "income_1": 9400,
            "income_2": 12000,
            "costs": 9000,
        },
        move: {
            "week": "Rachel works remotely and flies to Seattle one week a month, for a year.",
            "impact_1": "Leads from a distance at first; may have to leave the start-up.",
            "impact_2": "The leadership role Marcus has worked towards, near his mother.",
            "view_5y": "Near family, and Rachel's turn cut short unless hers comes next.",
            "income_1": 7800,
            "income_2": 14500,
            "costs": 9000,
            "one_off": 18000,
        },
        later: {
            "week": "Like today for a year and a half, then the Chicago week.",
            "impact_1": "Two full years in the role before any move.",
            "impact_2": "Keeps the post in view if the firm agrees; a risk it doesn't.",
            "income_1": 9400,
            "income_2": 12000,
            "costs": 9000,
        },
    }
    for oid, fields in option_text.items():
        decisions.update_option(db, actor, cid, offer, oid, fields)
    factors = {
        label: decisions.add_factor(db, actor, cid, offer, label)
        for label in (
            "Money",
            "Growth for Rachel",
            "Growth for Marcus",
            "Near family",
            "Daily life",
        )
    }
    grids = {
        rachel["id"]: (
            {
                "Money": 5,
                "Growth for Rachel": 9,
                "Growth for Marcus": 7,
                "Near family": 4,
                "Daily life": 7,
            },
            {stay: (7, 9, 4, 3, 7), move: (6, 3, 9, 9, 5), later: (7, 8, 6, 5, 6)},
        ),
        marcus["id"]: (
            {
                "Money": 6,
                "Growth for Rachel": 7,
                "Growth for Marcus": 9,
                "Near family": 8,
                "Daily life": 6,
            },
            {stay: (6, 9, 4, 2, 6), move: (8, 4, 10, 9, 5), later: (7, 7, 7, 6, 6)},
        ),
    }
    labels = list(factors)
    for pid, (weights, scores) in grids.items():
        decisions.save_partner_grid(
            db,
            actor,
            cid,
            offer,
            pid,
            {factors[label]: w for label, w in weights.items()},
            {
                (factors[labels[i]], oid): s
                for oid, row in scores.items()
                for i, s in enumerate(row)
            },
        )
    for raw in (
        {
            "partner_id": rachel["id"],
            "title": "Product manager, logistics firm",
            "starts_on": _years(today, -9),
        },
        {"partner_id": rachel["id"], "title": "Product lead", "starts_on": _years(today, -3)},
        {
            "partner_id": rachel["id"],
            "title": "Head of product, Seattle start-up",
            "starts_on": _years(today, -1.1),
        },
        {
            "partner_id": marcus["id"],
            "title": "Joins the firm as associate",
            "starts_on": _years(today, -7.5),
        },
        {
            "partner_id": marcus["id"],
            "title": "Made partner",
            "starts_on": _years(today, -1.2),
        },
        {
            "partner_id": marcus["id"],
            "title": "Transfers to the Seattle office",
            "starts_on": _years(today, -1.1),
        },
        {
            "partner_id": marcus["id"],
            "title": "Chicago offer decision",
            "starts_on": today + timedelta(days=24),
        },
        {
            "partner_id": None,
            "category": "family",
            "title": "Marcus's mother moves nearby",
            "starts_on": _years(today, -2),
        },
        {
            "partner_id": None,
            "category": "family",
            "title": "Hoping to start a family",
            "starts_on": _years(today, 2.5),
        },
        {
            "partner_id": rachel["id"],
            "category": "education",
            "title": "Part-time MBA",
            "starts_on": _years(today, -6),
            "ends_on": _years(today, -4),
        },
    ):
        roadmap.add(db, actor, cid, {"category": "career", **raw})
    first = sessions.create(
        db,
        actor,
        cid,
        {
            "held_on": today - timedelta(days=21),
            "focus": "How the Chicago offer landed on both of us.",
            "takeaways": "We agreed not to answer the firm before we have walked through a week "
            "in each option.",
            "notes": "Marcus apologetic about wanting it a year into Rachel's turn; Rachel quiet "
            "when the move came up.",
        },
    )
    sessions.set_discussed(db, actor, cid, first, [urgent.agreement_id, vetoes.agreement_id], [])
    second = sessions.create(
        db,
        actor,
        cid,
        {
            "held_on": today - timedelta(days=7),
            "focus": "Weighing the three options with the opportunity matrix.",
            "takeaways": "Both of us rate 'Near family' very differently: that is the real "
            "conversation. Ask the firm about starting later before the deadline.",
            "notes": "Marcus named his mother's health as the core need behind wanting to go.",
        },
    )
    sessions.set_discussed(db, actor, cid, second, [urgent.agreement_id], [offer])


def _zoe_and_lukasz(db: Database, actor: Actor, couple: dict, today: date) -> None:
    cid = couple["id"]
    zoe, lukasz = couple["partners"]
    trial = agreements.save(
        db,
        actor,
        cid,
        {
            "title": "Lisbon for one year, then decide together",
            "kind": "trial",
            "status": "active",
            "body": "We stay in Lisbon for Łukasz's transfer for twelve months. Zoë's "
            "registration and language course come first on weekday evenings.",
            "exit_plan": "If Zoë is not registered or working in architecture by the review, "
            "we look at moves that favour her career, and Łukasz asks about a transfer back.",
            "review_on": today + timedelta(days=120),
            "confirmed_on": today - timedelta(days=240),
        },
        now=_on(today, 240),
    )
    for raw in (
        {
            "partner_id": zoe["id"],
            "title": "Architect, Lyon practice",
            "starts_on": _years(today, -6),
        },
        {
            "partner_id": zoe["id"],
            "title": "Registration in Portugal",
            "starts_on": today + timedelta(days=150),
            "category": "education",
        },
        {
            "partner_id": lukasz["id"],
            "title": "Engineering manager",
            "starts_on": _years(today, -2),
        },
        {
            "partner_id": lukasz["id"],
            "title": "Transfer to Lisbon",
            "starts_on": today - timedelta(days=240),
        },
        {
            "partner_id": None,
            "category": "family",
            "title": "Residence permits to renew",
            "starts_on": _years(today, 1.3),
        },
    ):
        roadmap.add(db, actor, cid, {"category": "career", **raw})
    s = sessions.create(
        db,
        actor,
        cid,
        {
            "held_on": today - timedelta(days=10),
            "focus": "Eight months in: how the trial is going for each of us.",
            "takeaways": "Zoë's Portuguese lessons move to mornings; Łukasz takes Thursdays at "
            "home.",
            "notes": "Zoë: isolation is the bigger issue than the licence.",
        },
    )
    sessions.set_discussed(db, actor, cid, s, [trial.agreement_id], [])
    sessions.assign_homework(db, actor, cid, s, "exercise_support_inventory")


def _fang_and_tomas(db: Database, actor: Actor, couple: dict, today: date) -> None:
    cid = couple["id"]
    fang, tomas = couple["partners"]
    for raw in (
        {
            "partner_id": fang["id"],
            "title": "Investment analyst, Singapore",
            "starts_on": _years(today, -4),
        },
        {
            "partner_id": tomas["id"],
            "title": "Teaching in Singapore",
            "starts_on": _years(today, -3.5),
        },
        {
            "partner_id": tomas["id"],
            "title": "Master's in education (hoped)",
            "starts_on": _years(today, 1),
            "ends_on": _years(today, 2),
            "category": "education",
        },
        {
            "partner_id": None,
            "category": "family",
            "title": "Employment pass ends",
            "starts_on": _years(today, 1.5),
        },
    ):
        roadmap.add(db, actor, cid, {"category": "career", **raw})
    agreements.save(
        db,
        actor,
        cid,
        {
            "title": "The visa is not a trump card",
            "kind": "other",
            "status": "under_review",
            "body": "Fang's employment pass decides where we can live, but not whose plans "
            "count. Before renewing, we look at Tomás's study plans first.",
            "review_on": today + timedelta(days=30),
        },
    )
