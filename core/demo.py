"""A fictional demo practice: accounts and couples loosely drawn from the source stories."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from core import accounts, couples, demo_history, demo_records, instruments, links, synthetic
from core.accounts import Actor
from core.clock import utcnow
from core.db import Database

# Shown on the login page in demo mode; never used outside demo mode.
DEMO_ACCOUNTS = (
    {
        "username": "demo",
        "display_name": "Dana Demo",
        "role": "counselor",
        "password": "demo-password",
    },
    {
        "username": "admin",
        "display_name": "Ari Admin",
        "role": "admin",
        "password": "admin-password",
    },
    {
        "username": "riley",
        "display_name": "Riley Okafor",
        "role": "counselor",
        "password": "riley-password",
    },
)


def _p(name, pronouns, occupation, industry, stage, hours, city, country, languages):
    return {
        "name": name,
        "pronouns": pronouns,
        "occupation": occupation,
        "industry": industry,
        "career_stage": stage,
        "weekly_hours": hours,
        "city": city,
        "country": country,
        "languages": languages,
    }


# (counselor username, partner 1, partner 2, counselor notes, archived?)
DEMO_COUPLES = (
    (
        "demo",
        _p(
            "Rachel",
            "she/her",
            "Product lead",
            "Technology",
            "Mid career",
            50,
            "Seattle",
            "United States",
            "English",
        ),
        _p(
            "Marcus",
            "he/him",
            "Law firm partner",
            "Law",
            "Senior or leadership",
            60,
            "Seattle",
            "United States",
            "English",
        ),
        "Moved to Seattle for Rachel's role weeks after Marcus made partner. Now his firm "
        "wants him to lead its Chicago office, near his mother: whose turn is it?",
        False,
    ),
    (
        "demo",
        _p(
            "Anna",
            "she/her",
            "Management consultant",
            "Business and consulting",
            "Senior or leadership",
            55,
            "Boston",
            "United States",
            "English, Spanish",
        ),
        _p(
            "Miguel",
            "he/him",
            "Programme manager, education charity",
            "Non-profit",
            "Changing direction",
            40,
            "Boston",
            "United States",
            "Spanish, English",
        ),
        "Five-year plan: Anna's consulting carries the household while Miguel moves into "
        "education reform; Anna's turn to explore venture work comes after.",
        False,
    ),
    (
        "demo",
        _p(
            "Jennifer",
            "she/her",
            "Staff software engineer",
            "Technology",
            "Senior or leadership",
            45,
            "Austin",
            "United States",
            "English",
        ),
        _p(
            "Katie",
            "she/her",
            "Software engineer",
            "Technology",
            "Mid career",
            42,
            "Austin",
            "United States",
            "English, French",
        ),
        "Both remote; protecting shared core hours. Watching who gives way when on-call weeks collide.",
        False,
    ),
    (
        "demo",
        _p(
            "David",
            "he/him",
            "Hospital physician",
            "Health and medicine",
            "Mid career",
            58,
            "Leicester",
            "United Kingdom",
            "English, Gujarati",
        ),
        _p(
            "Priya",
            "she/her",
            "Public policy analyst",
            "Government and public policy",
            "Early career",
            40,
            "Leicester",
            "United Kingdom",
            "English, Hindi",
        ),
        "Family expectations that Priya's career comes second. David wants hers to grow.",
        False,
    ),
    (
        "demo",
        _p(
            "Zoë",
            "she/her",
            "Architect (seeking registration)",
            "Arts, media and design",
            "Between jobs",
            10,
            "Lisbon",
            "Portugal",
            "French, English, learning Portuguese",
        ),
        _p(
            "Łukasz",
            "he/him",
            "Engineering manager",
            "Technology",
            "Senior or leadership",
            50,
            "Lisbon",
            "Portugal",
            "Polish, English",
        ),
        "Moved for Łukasz's transfer eight months ago. Zoë's licence is not recognised yet.",
        False,
    ),
    (
        "demo",
        _p(
            "王芳",
            "she/her",
            "Investment analyst",
            "Finance",
            "Mid career",
            55,
            "Singapore",
            "Singapore",
            "Mandarin, English",
        ),
        _p(
            "Tomás",
            "he/him",
            "Secondary school teacher",
            "Education",
            "Mid career",
            45,
            "Singapore",
            "Singapore",
            "Spanish, English",
        ),
        "Visa tied to Fang's employer. Tomás is weighing a return to study.",
        False,
    ),
    (
        "demo",
        _p(
            "Amara",
            "she/her",
            "Postdoctoral researcher",
            "Academia and research",
            "Early career",
            50,
            "Utrecht",
            "Netherlands",
            "English, Igbo",
        ),
        _p(
            "Jonah",
            "he/him",
            "Assistant professor",
            "Academia and research",
            "Mid career",
            50,
            "Utrecht",
            "Netherlands",
            "English, Dutch",
        ),
        "Two academic job markets, one city. Amara has two interviews abroad this spring.",
        False,
    ),
    (
        "demo",
        _p(
            "Noor",
            "she/her",
            "Start-up founder",
            "Technology",
            "Changing direction",
            65,
            "Toronto",
            "Canada",
            "Arabic, English",
        ),
        _p(
            "Sven",
            "he/him",
            "Civil engineer",
            "Manufacturing and engineering",
            "Senior or leadership",
            40,
            "Toronto",
            "Canada",
            "Swedish, English",
        ),
        "Noor left a salaried role to found a company; Sven took on the steady income and most "
        "of the school runs.",
        False,
    ),
    (
        "demo",
        _p(
            "Kenji",
            "he/him",
            "Chef and restaurant owner",
            "Hospitality and retail",
            "Senior or leadership",
            70,
            "Melbourne",
            "Australia",
            "Japanese, English",
        ),
        _p(
            "Laila",
            "she/her",
            "Nurse practitioner",
            "Health and medicine",
            "Mid career",
            36,
            "Melbourne",
            "Australia",
            "English, Farsi",
        ),
        "Opposite shift patterns. Laila's parents need more care this year.",
        False,
    ),
    (
        "demo",
        _p(
            "Seun",
            "they/them",
            "Journalist",
            "Arts, media and design",
            "Mid career",
            45,
            "London",
            "United Kingdom",
            "English, Yoruba",
        ),
        _p(
            "Grace",
            "she/her",
            "Barrister",
            "Law",
            "Senior or leadership",
            60,
            "London",
            "United Kingdom",
            "English",
        ),
        "Grace's silk application and Seun's foreign posting offer land in the same quarter.",
        False,
    ),
    (
        "demo",
        _p(
            "Elif",
            "she/her",
            "Data scientist",
            "Technology",
            "Mid career",
            40,
            "Berlin",
            "Germany",
            "Turkish, German, English",
        ),
        _p(
            "Mateo",
            "he/him",
            "Paramedic",
            "Health and medicine",
            "Mid career",
            44,
            "Berlin",
            "Germany",
            "Spanish, German",
        ),
        "Decided together to go part-time in turns while their child is under three.",
        False,
    ),
    (
        "demo",
        _p(
            "Inès",
            "she/her",
            "Diplomat",
            "Government and public policy",
            "Senior or leadership",
            50,
            "Nairobi",
            "Kenya",
            "French, English",
        ),
        _p(
            "Farid",
            "he/him",
            "Freelance translator",
            "Arts, media and design",
            "Mid career",
            30,
            "Nairobi",
            "Kenya",
            "French, Arabic, English",
        ),
        "Posting rotates every three years; Farid's freelance work travels, his network does not.",
        True,
    ),
    (
        "riley",
        _p(
            "Hana",
            "she/her",
            "Pharmacist",
            "Health and medicine",
            "Mid career",
            40,
            "Osaka",
            "Japan",
            "Japanese, English",
        ),
        _p(
            "Yusuf",
            "he/him",
            "Airline pilot",
            "Transport and logistics",
            "Senior or leadership",
            48,
            "Osaka",
            "Japan",
            "Turkish, English",
        ),
        "Riley's couple: rosters make any shared routine hard.",
        False,
    ),
    (
        "riley",
        _p(
            "Camille",
            "she/her",
            "Museum curator",
            "Arts, media and design",
            "Mid career",
            38,
            "Montréal",
            "Canada",
            "French, English",
        ),
        _p(
            "Rosa",
            "she/her",
            "Surgeon in training",
            "Health and medicine",
            "Early career",
            70,
            "Montréal",
            "Canada",
            "Spanish, French",
        ),
        "Riley's couple: residency years; Camille turned down a post in Paris.",
        False,
    ),
)


def seed(db: Database) -> bool:
    """Fill an empty database with the demo practice; returns False if it already had data."""
    if not accounts.needs_first_admin(db):
        return False
    code = accounts.issue_setup_code(db)
    admin_spec = next(a for a in DEMO_ACCOUNTS if a["role"] == "admin")
    accounts.create_first_admin(db, code, _account_fields(admin_spec), admin_spec["password"])
    admin = accounts.authenticate(db, admin_spec["username"], admin_spec["password"])
    actors = {admin.username: admin}
    for spec in DEMO_ACCOUNTS:
        if spec is admin_spec:
            continue
        accounts.create_counselor(
            db, admin, _account_fields(spec), spec["password"], must_change=False
        )
        actors[spec["username"]] = accounts.authenticate(db, spec["username"], spec["password"])
    by_label = {}
    for username, p1, p2, notes, archived in DEMO_COUPLES:
        actor = actors[username]
        cid = couples.create(db, actor, p1, p2, notes)
        by_label[couples.label(p1["name"], p2["name"])] = (username, cid)
        if archived:
            couples.set_archived(db, actor, cid, True)
    # Years of check-ins, seasons and ledger events, so the charts tell a story (issue 4).
    demo_history.seed(db, actors, by_label, utcnow())
    # Agreements, a decision with a filled matrix, roadmaps and sessions (issue 5).
    demo_records.seed(db, actors)
    _begin_with_history(db, actors, by_label, utcnow())
    db.all("demo/backdate_agreements")  # after the couples' own dates
    return True


# Couples whose partners both sent the intake when they started, so that the intake comparison
# (Questionnaires → Answers) has something to show; the others have not been sent one yet.
INTAKE_COUPLES = ("Anna & Miguel", "David & Priya", "Noor & Sven")
INTAKE_SEED = 20260315
# The first check-in comes this long after the couple was added (core.demo_history._plan).
BEFORE_HISTORY = timedelta(days=60)


def _begin_with_history(
    db: Database, actors: dict[str, Actor], by_label: dict[str, tuple[str, int]], now: datetime
) -> None:
    """Date each couple's start where its history begins, with the intakes of INTAKE_COUPLES
    sent then: through the same links and checks a partner's phone uses."""
    form = instruments.load("intake")
    rng = np.random.default_rng(INTAKE_SEED)
    for story in demo_history.STORIES:
        if story.label not in by_label:
            continue
        username, cid = by_label[story.label]
        added = now - timedelta(days=story.years * 365.25) - BEFORE_HISTORY
        db.all("demo/backdate_couple", couple_id=cid, created_at=added)
        if story.label not in INTAKE_COUPLES:
            continue
        actor = actors[username]
        for day, partner in enumerate(couples.get(db, actor, cid)["partners"], start=2):
            sent = added + timedelta(days=day)
            issued = links.issue(db, actor, cid, partner["id"], "intake", now=sent)
            hours = partner["weekly_hours"] or 40
            answered = sent + timedelta(hours=20)
            for item_id, value in synthetic.answers_for(form, rng, hours).items():
                links.save_answer(db, issued.token, item_id, value, now=answered)
            links.submit(db, issued.token, now=answered + timedelta(minutes=25))


def _account_fields(spec: dict) -> dict:
    return {k: spec[k] for k in ("username", "display_name", "role")} | {"email": ""}
