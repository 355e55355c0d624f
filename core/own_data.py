"""One partner's own data, readable: what Tandem holds about that partner, for their request.

A partner may ask to see what the practice keeps about them (a subject access request). The
couple's full record (core/record.py) cannot answer it as it stands: it holds the other
partner's private answers and the counselor's notes, as raw rows and JSON. This export is the
copy one partner may be given: a PDF to read and a CSV of the same answers, in a zip.

It holds the partner's details as typed, every answer they saved through their own links (sent
or not, counselor-only ones too: they are theirs) in words, the links they were sent (dates and
what became of each, never a token), the figures worked out from their check-ins, and the
records they share with the other partner: agreements, seasons, the ledger, decisions (with
their own weights and scores), the roadmap's entries that are theirs or both of theirs, and the
takeaways written for the couple after sessions. Never the other partner's answers, scores,
details or own roadmap entries (their name only, which the shared records need), the
counselor's notes, or anything of a token. Each kind is read in one query (sql/own_data/),
filtered to the partner in SQL where it is theirs, in one transaction. The file says at its top,
in plain words, what it holds, what it leaves out and why.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core import agreements, couples, decisions, instruments, ledger, links, roadmap, seasons
from core.accounts import Actor
from core.audit import audited
from core.checkin_rows import CHECKIN, CSI_TOTAL
from core.clock import utcnow
from core.dates import local_or_utc, shown
from core.db import Database
from core.errors import NotFound
from core.exports import fact_label
from core.record import csv_cell
from core.schedule import valid_timezone
from core.sessions import EXERCISE_PREFIX
from core.validation import plain_letters, record_id

DOCUMENT = "Own data"
# The longest text Tandem takes into anything this file prints (an agreement's body): all of
# it prints whole. Longer text can only come from older versions or imports; a 10 MB answer
# would take thousands of pages, so the PDF prints this much of it and says where the rest is
# (answers.csv holds every answer whole).
PRINTED_MAX_CHARS = agreements.BODY_MAX_CHARS
PDF_NAME = "own-data.pdf"
CSV_NAME = "answers.csv"
# The partner's details, as the couple's form labels them (core/partners.py FIELDS).
DETAILS = (
    ("name", "Name"),
    ("pronouns", "Pronouns"),
    ("occupation", "Occupation"),
    ("industry", "Industry"),
    ("career_stage", "Career stage"),
    ("weekly_hours", "Weekly work hours"),
    ("country", "Country"),
    ("city", "City"),
    ("languages", "Languages"),
    ("email", "E-mail"),
    ("phone", "Phone"),
)
# The kinds of form a partner answers, in the order the file lists them.
QUESTIONNAIRES = "Questionnaires"
CHECKINS = "Check-ins"
EXERCISES = "Exercises given as homework"
DECISION_FORMS = "Decision forms"
KINDS = (QUESTIONNAIRES, CHECKINS, EXERCISES, DECISION_FORMS)
CSV_COLUMNS = (
    "form",
    "link_made",
    "sent",
    "state",
    "section",
    "question",
    "counselor_only",
    "answer",
    "value",
    "saved",
)
CSV_TIMES = ("link_made", "sent", "saved")
COUNSELOR_ONLY = "A question only your counselor reads."
# Check-ins side by side: this many to a table, the question taking this much of the width
# (four answers such as "Neither agree nor disagree" still fit their columns in two lines).
CHECKINS_PER_TABLE = 4
CHECKIN_QUESTION_COLUMN = 0.4
# A table cell holds a check-in's short answer: a longer one (only stored before today's
# limits) is cut, so that no row is taller than a page.
CELL_MAX_CHARS = 300
# The links table's columns, as fractions of the text width.
LINKS_COLUMNS = (0.36, 0.15, 0.15, 0.34)
# An answer sits a little in from its question, so a page of them reads as pairs.
ANSWER_INDENT_MM = 4


@dataclass
class Held:
    """What Tandem holds about one partner, read in one snapshot (`collect`)."""

    couple_id: int
    partner: dict[str, Any]
    other: dict[str, Any]  # the other partner's id, position and name: nothing else of them
    zone: str  # the clock every date and time is shown on (an IANA name, or "UTC")
    zone_source: str  # "schedule" (the couple's check-ins), "counselor" or "utc"
    links: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    standing: list[dict[str, Any]]
    checkins: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    seasons: list[dict[str, Any]]
    ledger: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    factors: list[dict[str, Any]]
    options: list[dict[str, Any]]
    weights: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    roadmap: list[dict[str, Any]]
    sessions: list[dict[str, Any]]

    @property
    def names(self) -> dict[int, str]:
        """partner id -> name, for the shared records that name both."""
        return {self.partner["id"]: self.partner["name"], self.other["id"]: self.other["name"]}


@audited("view", "partner's own data")
def collect(
    db: Database, actor: Actor, couple_id: Any, partner_id: Any, zone: str | None = None
) -> Held:
    """Everything held about one partner of a couple the actor may open (NotFound for another
    counselor's couple, and for a partner who is not this couple's). Dates are shown on the
    couple's check-in clock, else on `zone` (the counselor's), else in UTC."""
    cid = couples.check_access(db, actor, couple_id)
    pid = record_id(partner_id, "partner")
    mine = {"couple_id": cid, "partner_id": pid}
    with db.transaction() as tx:  # one consistent snapshot of every kind
        partner = tx.one("own_data/partner", **mine)
        if partner is None:
            raise NotFound("partner")
        other = next(p for p in tx.all("own_data/names", couple_id=cid) if p["id"] != pid)
        plan = tx.one("checkins/schedule_get", couple_id=cid)
        held = Held(
            couple_id=cid,
            partner=partner,
            other=other,
            zone="UTC",
            zone_source="utc",
            links=tx.all("own_data/links", **mine),
            answers=tx.all("own_data/answers", **mine),
            standing=tx.all("own_data/standing_links", **mine),
            checkins=tx.all("own_data/checkins", **mine),
            agreements=tx.all("agreements/current_for_couple", couple_id=cid),
            seasons=tx.all("seasons/for_couple", couple_id=cid),
            ledger=tx.all("ledger/for_couple", couple_id=cid),
            decisions=tx.all("decisions/for_couple", couple_id=cid),
            factors=tx.all("own_data/decision_factors", couple_id=cid),
            options=tx.all(
                "own_data/decision_options", couple_id=cid, position=partner["position"]
            ),
            weights=tx.all("own_data/decision_weights", **mine),
            scores=tx.all("own_data/decision_scores", **mine),
            roadmap=tx.all("own_data/roadmap", **mine),
            sessions=tx.all("own_data/sessions", couple_id=cid),
        )
    if plan and valid_timezone(plan["timezone"]):
        held.zone, held.zone_source = plan["timezone"], "schedule"
    elif zone and valid_timezone(zone):
        held.zone, held.zone_source = zone, "counselor"
    return held


# -- answers in words -------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """One answer as the file shows it: the question as the partner saw it, the answer in words
    (`value` is the stored value when it is not the words themselves: a number, an option's id)."""

    section: str
    question: str
    words: str
    value: str
    counselor_only: bool
    saved: datetime | None
    item_id: str = ""


@dataclass
class Given:
    """One link's form and the answers saved through it."""

    link: dict[str, Any]
    kind: str
    title: str
    day: str  # the day it was sent (else made), on the file's clock
    heading: str  # the title with that day: check-ins are many
    outcome: str  # what became of it, in a few words
    state: str  # what became of it, in a sentence
    answers: list[Answer] = field(default_factory=list)


def kind_of(instrument_id: str) -> str:
    """Which kind of form a link carried (the file groups answers by it)."""
    if instrument_id == CHECKIN:
        return CHECKINS
    if instrument_id.startswith(EXERCISE_PREFIX):
        return EXERCISES
    if instrument_id == links.DECISION_FORM:
        return DECISION_FORMS
    return QUESTIONNAIRES


def _form(instrument_id: str) -> instruments.Instrument | None:
    """The questionnaire as it stands (None for one no longer in instruments/)."""
    try:
        return instruments.load(instrument_id)
    except instruments.InstrumentError:
        return None


def _plain(value: Any) -> str:
    """A stored value as text: a list joined, yes/no for true/false."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _words(item: instruments.Item | None, value: Any) -> tuple[str, str]:
    """(the answer in words, the stored value when that is not the words themselves)."""
    if item is None:
        return _plain(value), ""
    try:
        words = instruments.answer_label(item, value)
    except (TypeError, ValueError, AttributeError):  # a value of another shape than the item's
        words = ""
    words = words or _plain(value)  # no label for it (an option since taken out): as stored
    if item.type in instruments.TEXT_TYPES or words == _plain(value):
        return words, ""
    return words, _plain(value)


def _matrix_questions(held: Held) -> dict[str, tuple[str, str]]:
    """item id of a decision form ("w_<factor>", "s_<option>_<factor>") -> (section, question),
    in the words of the factors and options (core/decisions.py builds the form from them)."""
    factor = {f["id"]: f["label"] for f in held.factors}
    option = {o["id"]: o["label"] for o in held.options}
    out = {
        f"w_{fid}": ("What matters to you", f"How much this matters to you: {label}")
        for fid, label in factor.items()
    }
    for oid, olabel in option.items():
        for fid, flabel in factor.items():
            out[f"s_{oid}_{fid}"] = (f"Option: {olabel}", f"How well it does on: {flabel}")
    return out


def _outcome(link: dict[str, Any], on_clock, now: datetime) -> tuple[str, str]:
    """What became of a link: (a table's few words, a sentence), each with its date."""
    state = links.status(link, now)
    if state == "submitted":
        sent = on_clock(link["submitted_at"], time=True)
        return f"Sent {sent}", f"Sent to your counselor on {sent}."
    until = on_clock(link["expires_at"])
    if state in links.OPEN_STATUSES:
        return f"Not sent yet; works until {until}", f"Not sent yet; the link works until {until}."
    ended = on_clock(link["revoked_at"]) if link.get("revoked_at") else until
    return {
        "expired": (f"Not sent; ended {until}", f"Not sent: the link ended on {until}."),
        "revoked": (
            f"Not sent; stopped {ended}",
            f"Not sent: your counselor stopped the link on {ended}.",
        ),
        "replaced": (
            f"Not sent; replaced {ended}",
            f"Not sent: a newer link replaced this one on {ended}.",
        ),
        "ended": (
            f"Not sent; handed back {ended}",
            f"Not sent: the device was handed back to your counselor on {ended}.",
        ),
    }.get(state, (links.STATUS_LABELS.get(state, state),) * 2)


def given(held: Held, on_clock, now: datetime) -> list[Given]:
    """Every link with the answers saved through it, in words and in each form's order."""
    saved: dict[int, list[dict[str, Any]]] = {}
    for row in held.answers:
        saved.setdefault(row["link_id"], []).append(row)
    titles = {d["id"]: d["title"] for d in held.decisions}
    matrix = (
        _matrix_questions(held)
        if any(ln["instrument_id"] == links.DECISION_FORM for ln in held.links)
        else {}
    )
    out = []
    for link in held.links:
        iid = link["instrument_id"]
        form = None if iid == links.DECISION_FORM else _form(iid)
        if iid == links.DECISION_FORM:
            title = f"Weighing up: {titles.get(link['decision_id'], 'a decision since deleted')}"
        else:
            title = form.title if form else f"A form no longer in use ({iid})"
        day = on_clock(link["submitted_at"] or link["created_at"])
        entry = Given(
            link, kind_of(iid), title, day, f"{title}, {day}", *_outcome(link, on_clock, now)
        )
        rows = {r["item_id"]: r for r in saved.get(link["id"], [])}
        # The form's order: the questionnaire's, or the decision form's (weights, then options).
        order = [i.id for i in form.items] if form else list(matrix)
        sections = {i.id: s.title for s in form.sections for i in s.items} if form else {}
        in_order = [*[i for i in order if i in rows], *sorted(set(rows) - set(order))]
        said = (_answer(rows[item_id], form, sections, matrix) for item_id in in_order)
        entry.answers = [a for a in said if a is not None]
        out.append(entry)
    return out


def _answer(
    row: dict[str, Any],
    form: instruments.Instrument | None,
    sections: dict[str, str],
    matrix: dict[str, tuple[str, str]],
) -> Answer | None:
    """One saved answer under its question as the partner saw it: the questionnaire's (`form`,
    its item id -> section title in `sections`), the decision form's (`matrix`), or one no
    longer asked; None for an answer left empty."""
    item_id = row["item_id"]
    try:
        value = json.loads(row["value_json"])
    except ValueError:  # not JSON: shown as stored
        value = row["value_json"]
    if not instruments.is_answered(value):
        return None
    item = form.item(item_id) if form and item_id in sections else None
    if item is not None:
        section, question = sections[item_id], item.prompt
        words, stored = _words(item, value)
    elif item_id in matrix:
        section, question = matrix[item_id]
        words, stored = f"{_plain(value)} of {decisions.SCALE_MAX}", ""
    else:
        section, question = "", f"A question no longer asked ({item_id})"
        words, stored = _words(None, value)
    private = item is not None and item.is_private
    return Answer(section, question, words, stored, private, row["updated_at"], item_id)


# -- the readable file ------------------------------------------------------------------------
@dataclass
class Paper:
    """The file as blocks, (kind, payload), written out by `to_pdf`. Kinds: h2, h3, p, muted,
    facts, bullets, table, qa (question, answer, note). Text is the people's own, as typed."""

    title: str
    lines: list[str]
    practice: str
    dated: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, kind: str, payload: Any) -> None:
        """Add a block, every text in it cut to what the PDF prints (`printed`)."""
        if kind == "qa":  # an answer is whole in answers.csv, and the cut says so
            question, answer, note = payload
            cut = (printed(question), printed(answer, whole_in_csv=True), note)
        else:
            cut = _cut(payload)
        self.blocks.append((kind, cut))

    def text(self) -> str:
        """Every piece of text the file prints (for the fonts, and for checks)."""
        parts = [self.title, *self.lines]
        for kind, payload in self.blocks:
            if kind in ("h2", "h3", "h4", "section", "p", "muted"):
                parts.append(payload)
            elif kind == "facts":
                parts.extend(f"{fact_label(k)} {v}" for k, v in payload)
            elif kind == "bullets":
                parts.extend(payload)
            elif kind == "qa":
                parts.extend(p for p in payload if p)
            elif kind == "table":
                parts.extend(payload[0])
                parts.extend(c for row in payload[1] for c in row)
        return "\n".join(parts)


def printed(text: str, whole_in_csv: bool = False) -> str:
    """`text` as the PDF prints it: whole up to PRINTED_MAX_CHARS, else cut there with a word
    on where the rest is."""
    if len(text) <= PRINTED_MAX_CHARS:
        return text
    rest = len(text) - PRINTED_MAX_CHARS
    where = f" It is whole in {CSV_NAME}." if whole_in_csv else ""
    return f"{text[:PRINTED_MAX_CHARS]} … [{rest:,} more characters are not printed here.{where}]"


def _cut(payload: Any) -> Any:
    """Every text in a block's payload as the PDF prints it."""
    if isinstance(payload, str):
        return printed(payload)
    if isinstance(payload, list | tuple):
        return type(payload)(_cut(p) for p in payload)
    return payload


def _sentence(text: str) -> str:
    """Typed text as the end of a sentence: a full stop added unless it has its own."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?…)]\"'" else f"{text}."


def _zone_line(held: Held) -> str:
    if held.zone_source == "schedule":
        return f"Dates and times are on the clock of your check-ins ({held.zone})."
    if held.zone_source == "counselor":
        return f"Dates and times are on your counselor's clock ({held.zone})."
    return "Dates and times are in UTC (Coordinated Universal Time)."


def _about(held: Held, paper: Paper) -> None:
    """What the file holds and leaves out, and why: the first thing a client reads."""
    me, other = held.partner["name"], held.other["name"]
    add = paper.add
    add("h2", "About this file")
    add(
        "p",
        f"This is a copy of what {paper.practice} keeps about you, {me}, in Tandem, the "
        "program your counselor uses for your sessions together. It was made because you asked "
        "to see it. It holds:",
    )
    add(
        "bullets",
        [
            "your details, as your counselor typed them;",
            "every answer you gave through your private links (questionnaires, check-ins, "
            "exercises and decision forms), each under its question, as you saw it. Answers "
            "you saved but never sent are here too, and say so. So are your answers to the "
            "questions marked as read only by your counselor: they are yours;",
            "the links you were sent: when, until when, and what became of each;",
            "the figures Tandem worked out from your check-ins;",
            f"the records you share with {other}, which name you both: your agreements, your "
            "seasons, the ledger of what each of you gave up, your decisions (with your own "
            "weights and scores), the parts of your roadmap that are yours or both of yours, "
            "and what your counselor wrote for the two of you after each session.",
        ],
    )
    add("p", "It leaves out, on purpose:")
    add(
        "bullets",
        [
            f"{other}'s answers, scores and details, apart from their name. They gave them in "
            f"confidence, as you gave yours, and they are never shown to you, as yours are "
            f"never shown to them. {other} can ask for their own copy.",
            "your counselor's private notes, about sessions and about the two of you. They are "
            "your counselor's working notes and may speak of you both. If you would like to see "
            "what they say about you, ask your counselor, who will go through them with you.",
            "the addresses of your links. Each one worked like a key to your own form; Tandem "
            "keeps them only in a scrambled form that cannot be turned back into the address.",
            "the practice's activity log (who opened what, and when). When your links were "
            "opened and answered is written below.",
            "charts and alerts your counselor sees on screen: they are worked out afresh from "
            "the records below each time, and are not kept.",
        ],
    )
    add(
        "p",
        f"The same answers are also in {CSV_NAME}, beside this file, one answer a line, for a "
        "spreadsheet or for taking them elsewhere. This file holds answers you gave in "
        "confidence: keep it somewhere only you can open. " + _zone_line(held),
    )


def _details(held: Held, paper: Paper) -> None:
    p = held.partner
    facts = [(label, _plain(p.get(key))) for key, label in DETAILS if p.get(key) not in (None, "")]
    paper.add("h2", "Your details")
    paper.add("facts", facts)


def _links_table(held: Held, forms: list[Given], on_clock, now: datetime, paper: Paper) -> None:
    paper.add("h2", "The links you were sent")
    if not forms and not held.standing:
        paper.add("p", "You have not been sent any links.")
        return
    rows = [
        [g.title, on_clock(g.link["created_at"]), on_clock(g.link["opened_at"]), g.outcome]
        for g in forms
    ]
    for s in held.standing:
        if s["revoked_at"]:
            what = "Replaced" if s["revoked_reason"] == "replaced" else "Stopped"
            state = f"{what} {on_clock(s['revoked_at'])}"
        elif s["expires_at"] <= now:
            state = f"Ended {on_clock(s['expires_at'])}"
        else:
            state = f"Works until {on_clock(s['expires_at'])}"
        last = on_clock(s["last_opened_at"])
        rows.append(
            [
                "Your personal check-in link (it opens each check-in)",
                on_clock(s["created_at"]),
                last if s["last_opened_at"] is None else f"last {last}",
                state,
            ]
        )
    # Two short dates between the form's name and what became of it, which need the room.
    paper.add("table", (["Form", "Made", "Opened", "What became of it"], rows, LINKS_COLUMNS))


def _answers(forms: list[Given], paper: Paper) -> None:
    paper.add("h2", "Your answers")
    answered = [g for g in forms if g.answers]
    if not answered:
        paper.add("p", "No answers of yours are kept.")
        return
    for kind in KINDS:
        of_kind = [g for g in answered if g.kind == kind]
        if not of_kind:
            continue
        paper.add("h3", kind)
        if kind == CHECKINS:
            _checkins_side_by_side(of_kind, paper)
            continue
        for g in of_kind:
            paper.add("h4", g.heading)
            paper.add("muted", g.state)
            section = None
            for a in g.answers:
                if a.section and a.section != section:
                    section = a.section
                    paper.add("section", section)
                paper.add(
                    "qa",
                    (
                        a.question,
                        a.words,
                        COUNSELOR_ONLY if a.counselor_only else "",
                    ),
                )


def _checkins_side_by_side(checkins: list[Given], paper: Paper) -> None:
    """Check-ins ask the same short questions each time: a few to a table, question by question,
    read far better than one page each (five years of weekly check-ins took 378 pages)."""
    paper.add(
        "muted",
        f"Your check-in answers side by side, {CHECKINS_PER_TABLE} to a table, oldest first, "
        "each headed by the day it was sent (or begun, if it was not sent). A dash: no answer. "
        "What became of each link is in the table above.",
    )
    for start in range(0, len(checkins), CHECKINS_PER_TABLE):
        group = checkins[start : start + CHECKINS_PER_TABLE]
        given_by = [{a.item_id: a for a in g.answers} for g in group]
        questions: dict[str, str] = {}
        for g in group:
            for a in g.answers:
                mark = f" ({COUNSELOR_ONLY.lower().rstrip('.')})" if a.counselor_only else ""
                questions.setdefault(a.item_id, a.question + mark)
        rank = {item.id: n for n, item in enumerate(instruments.load(CHECKIN).items)}
        order = sorted(questions, key=lambda i: (rank.get(i, len(rank)), i))  # the form's order
        rows = [
            [
                questions[item_id],
                *(_cell(mine[item_id].words) if item_id in mine else "—" for mine in given_by),
            ]
            for item_id in order
        ]
        headers = [
            "Question",
            *(f"{g.day}\n{'sent' if g.link['submitted_at'] else 'not sent'}" for g in group),
        ]
        fractions = (CHECKIN_QUESTION_COLUMN,) + (
            (1 - CHECKIN_QUESTION_COLUMN) / CHECKINS_PER_TABLE,
        ) * len(group)
        paper.add("table", (headers, rows, fractions))


def _cell(text: str) -> str:
    """A check-in's answer as a table cell prints it (see CELL_MAX_CHARS)."""
    return (
        text
        if len(text) <= CELL_MAX_CHARS
        else f"{text[:CELL_MAX_CHARS]} … [cut; whole in {CSV_NAME}]"
    )


def _figures(held: Held, on_clock, paper: Paper) -> None:
    if not held.checkins:
        return
    checkin = instruments.load(CHECKIN)
    csi, cutoff = checkin.score(CSI_TOTAL), checkin.cutoff(CSI_TOTAL)

    def number(value: Any, digits: int = 0) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    paper.add("h2", "Figures worked out from your check-ins")
    reading = (
        f"Satisfaction is your score on the four relationship questions (the CSI-4), from "
        f"{csi.min:g} to {csi.max:g}, counted as its authors publish it; higher means more "
        "satisfied."
    )
    if cutoff is not None:
        # Said once, in a sentence: the instrument's two meanings, one after the other, read
        # as two half-sentences saying the same thing.
        reading += (
            f" Its authors put a cut-off at {cutoff.below:g}: a score below it is in the range "
            "they link with notable dissatisfaction in the relationship."
        )
    reading += (
        " Fairness is your own answer to how fair things felt to you (0 to 10). Home load is "
        "the average of the shares of the household and of its planning you said were yours "
        "(0 to 100%). Doing well is the average of your answers about the signs of a "
        "partnership that works (1 to 5). A dash means no answer. These figures are a "
        "starting point for conversation, never a verdict."
    )
    paper.add("p", reading)
    paper.add(
        "table",
        (
            [
                "Check-in sent",
                f"Satisfaction ({csi.min:g}–{csi.max:g})",
                "Fairness (0–10)",
                "Home load",
                "Doing well (1–5)",
            ],
            [
                [
                    on_clock(c["submitted_at"]),
                    number(c["csi_total"]),
                    number(c["fairness_me"]),
                    "—" if c["load_share"] is None else f"{c['load_share']:.0f}%",
                    number(c["success_mean"], 1),
                ]
                for c in held.checkins
            ],
        ),
    )


def _shared(held: Held, on_clock, paper: Paper) -> None:
    """The records both partners share, as they stand."""
    names, me = held.names, held.partner["id"]
    add = paper.add
    add("h2", "What you share with " + held.other["name"])
    add(
        "muted",
        "These records are about the two of you; your counselor keeps them with you both in "
        "your sessions.",
    )
    if held.agreements:
        add("h3", "Agreements")
        for a in held.agreements:
            add("h4", a["title"])
            facts = [
                ("Kind", agreements.KINDS.get(a["kind"], a["kind"])),
                ("Status", agreements.STATUSES.get(a["status"], a["status"])),
            ]
            if a["confirmed_on"]:
                facts.append(("Confirmed by both of you on", shown(a["confirmed_on"])))
            if a["review_on"]:
                facts.append(("Review on", shown(a["review_on"])))
            add("facts", facts)
            add("p", a["body"])
            if a["exit_plan"]:
                add("facts", [("Exit plan", a["exit_plan"])])
    if held.seasons:
        add("h3", "Seasons")
        for s in held.seasons:
            add("h4", seasons.name(s, names))
            facts = [("Leads", seasons.lead_label(s, names)), ("When:", seasons.span(s))]
            if s["review_on"]:
                facts.append(("Review on", shown(s["review_on"])))
            add("facts", facts)
            if s["terms"]:
                add("p", s["terms"])
    if held.ledger:
        add("h3", "The ledger: what each of you gave up")
        by_id = {e["id"]: e for e in held.ledger}
        lines = []
        for e in held.ledger:
            line = ledger.describe(e, names)
            if e["note"]:
                line += f": {_sentence(e['note'])}"
            else:
                line += "."
            line += f" Acknowledged: {'yes' if e['acknowledged'] else 'not yet'}."
            repaid = by_id.get(e["repaid_by_id"]) if e["repaid_by_id"] else None
            if repaid is not None:
                line += f" Repaid by: {ledger.describe(repaid, names)}."
            lines.append(line)
        add("bullets", lines)
    if held.decisions:
        _decisions(held, paper)
    if held.roadmap:
        add("h3", "Your roadmap (yours, and both of yours)")
        lines = []
        for r in held.roadmap:
            when = shown(r["starts_on"]) + (f" – {shown(r['ends_on'])}" if r["ends_on"] else "")
            whose = "you" if r["partner_id"] == me else "both of you"
            kind = roadmap.CATEGORIES.get(r["category"], r["category"])
            line = f"{when}: {r['title']} ({kind}, {whose})"
            lines.append(line + (f". {r['note']}" if r["note"] else ""))
        add("bullets", lines)
    if held.sessions:
        add("h3", "Sessions: what your counselor wrote for the two of you")
        for s in held.sessions:
            add("h4", f"Session on {shown(s['held_on'])}")
            if s["focus"]:
                add("facts", [("Focus", s["focus"])])
            add("p", s["takeaways"] if s["takeaways"] else "No takeaways were written.")


def _decisions(held: Held, paper: Paper) -> None:
    add = paper.add
    add("h3", "Decisions")
    factors: dict[int, list[dict]] = {}
    for f in held.factors:
        factors.setdefault(f["decision_id"], []).append(f)
    options: dict[int, list[dict]] = {}
    for o in held.options:
        options.setdefault(o["decision_id"], []).append(o)
    weight = {w["factor_id"]: w["weight"] for w in held.weights}
    score = {(s["option_id"], s["factor_id"]): s["score"] for s in held.scores}
    for d in held.decisions:
        add("h4", d["title"])
        mine = options.get(d["id"], [])
        chosen = next((o["label"] for o in mine if o["id"] == d["chosen_option_id"]), None)
        facts = [
            ("Kind", decisions.KINDS.get(d["kind"], d["kind"])),
            ("Status", decisions.STATUSES.get(d["status"], d["status"])),
        ]
        if chosen:
            facts.append(("Chosen", chosen))
        if d["decided_on"]:
            facts.append(("Decided on", shown(d["decided_on"])))
        if d["outcome"]:
            facts.append(("Outcome", d["outcome"]))
        if mine:
            facts.append(("Options", "; ".join(o["label"] for o in mine)))
        add("facts", facts)
        if d["facts"]:
            add("p", d["facts"])
        said = []
        for o in mine:
            parts = []
            if o["impact"]:
                parts.append(f"for your career: {_sentence(o['impact'])}")
            if o["veto"]:
                parts.append(f"your veto protects {_sentence(o['veto_need'] or 'a core need')}")
            if parts:
                said.append(f"{o['label']} — " + " And ".join(parts))
        if said:
            add("bullets", said)
        mine_f = factors.get(d["id"], [])
        rows = [
            [o["label"], *(str(score.get((o["id"], f["id"]), "—")) for f in mine_f)]
            for o in mine
            if any((o["id"], f["id"]) in score for f in mine_f)
        ]
        if any(f["id"] in weight for f in mine_f):
            weights = [str(weight.get(f["id"], "—")) for f in mine_f]
            rows.insert(0, ["How much each matters to you", *weights])
        if rows:
            add("muted", "Your own weights and scores, from 1 to 10 (a dash: none given).")
            add("table", (["Your matrix", *(f["label"] for f in mine_f)], rows))


def build(
    held: Held, practice: str, made_by: str, now: datetime | None = None
) -> tuple[Paper, list[Given]]:
    """The readable file of what is held about one partner, and their answers in words."""
    now = now or utcnow()

    def on_clock(value: datetime | date | None, time: bool = False) -> str:
        if value is None:
            return "—"
        if not isinstance(value, datetime):
            return shown(value)
        local = local_or_utc(value, held.zone)
        return f"{shown(local)}, {local:%H:%M}" if time else shown(local)

    today = local_or_utc(now, held.zone).date()
    me = held.partner["name"]
    paper = Paper(
        title=f"{me}: what {practice} holds about you",
        lines=[f"Made for {me} on {shown(today)} by {made_by}, {practice}."],
        practice=practice,
        dated=shown(today),
    )
    forms = given(held, on_clock, now)
    _about(held, paper)
    _details(held, paper)
    _links_table(held, forms, on_clock, now, paper)
    _answers(forms, paper)
    _figures(held, on_clock, paper)
    _shared(held, on_clock, paper)
    return paper, forms


# -- writing it out ---------------------------------------------------------------------------
def to_pdf(paper: Paper) -> bytes:
    """The file as an A4 PDF, the practice and the date on every page (core/pdf.py)."""
    from fpdf.enums import XPos, YPos

    from core.pdf import BODY_PT, INK, LINE_MM, MUTED, NOTE_LINE_MM, NOTE_PT, Document, Page

    doc = Document(Page(paper.practice, DOCUMENT, paper.dated), text=paper.text())
    doc.title_block(paper.title, paper.lines)

    def facts_height(i: int) -> float:
        """The height a list of facts at block i keeps on one page (0 for another block)."""
        kind, payload = paper.blocks[i] if i < len(paper.blocks) else ("", None)
        return min(LINE_MM * len(payload) + 2, 60) if kind == "facts" else 0

    for i, (kind, payload) in enumerate(paper.blocks):
        if kind in ("h2", "h3", "h4") and facts_height(i + 1):
            doc.keep(facts_height(i + 1) + 12)  # a heading goes to the next page with its facts
        if kind == "h2":
            doc.heading(payload, 2)
        elif kind == "h3":
            doc.heading(payload, 3)
        elif kind == "h4":
            doc.heading(payload, 4)
        elif kind == "section":
            doc.keep(LINE_MM * 4)
            doc.set_font("body", "I", NOTE_PT)
            doc.set_text_color(*MUTED)
            doc.multi_cell(0, NOTE_LINE_MM, payload, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            doc.set_text_color(*INK)
            doc.ln(0.8)
        elif kind == "p":
            doc.paragraph(payload)
        elif kind == "muted":
            doc.paragraph(payload, muted=True, italic=True)
        elif kind == "facts":
            doc.keep(facts_height(i))  # a short list of facts on one page
            doc.facts([(fact_label(k), v) for k, v in payload])
        elif kind == "bullets":
            doc.bullets(payload, ragged=True)
        elif kind == "table":  # (headers, rows), or with each column's share of the width
            doc.grid(*payload)
        elif kind == "qa":
            question, answer, note = payload
            doc.keep(LINE_MM * 3)
            doc.set_font("body", "B", BODY_PT)
            doc.multi_cell(
                0,
                LINE_MM,
                question,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                align=doc._ragged(question),  # ragged, never spread out to the margin
            )
            if note:
                doc.set_font("body", "I", NOTE_PT)
                doc.set_text_color(*MUTED)
                doc.multi_cell(0, NOTE_LINE_MM, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            doc.set_font("body", "", BODY_PT)
            doc.set_text_color(*INK)
            doc.set_x(doc.l_margin + ANSWER_INDENT_MM)
            doc.multi_cell(
                doc.text_width - ANSWER_INDENT_MM,
                LINE_MM,
                answer,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            doc.ln(1.5)
    return doc.finished()


def answers_csv(held: Held, forms: list[Given]) -> str:
    """Every answer one a line, in words and as stored (CSV, UTF-8, formulas neutralised):
    the same answers as the PDF, whole, for a spreadsheet or another service."""

    def at(value: datetime | None) -> str:
        return "" if value is None else f"{local_or_utc(value, held.zone):%Y-%m-%d %H:%M}"

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # The times are on the file's clock: the header names it.
    writer.writerow([f"{c} ({held.zone})" if c in CSV_TIMES else c for c in CSV_COLUMNS])
    for g in forms:
        for a in g.answers:
            writer.writerow(
                [
                    csv_cell(v)
                    for v in (
                        g.title,
                        at(g.link["created_at"]),
                        at(g.link["submitted_at"]),
                        g.state,
                        a.section,
                        a.question,
                        "yes" if a.counselor_only else "no",
                        a.words,
                        a.value,
                        at(a.saved),
                    )
                ]
            )
    return out.getvalue()


@audited("export", "partner's own data")
def export_zip(
    db: Database,
    actor: Actor,
    couple_id: Any,
    partner_id: Any,
    practice: str,
    zone: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """One partner's own data as a zip: own-data.pdf to read and answers.csv (the same answers,
    whole, one a line). Ownership of the couple and the partner's place in it are checked
    first; the trail records who exported which partner's data (partner_id in its detail)."""
    now = now or utcnow()
    held = collect(db, actor, couple_id, partner_id, zone)
    paper, forms = build(held, practice, actor.display_name, now)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(PDF_NAME, to_pdf(paper))
        z.writestr(CSV_NAME, answers_csv(held, forms))
    return out.getvalue()


def _plain_name(partner: dict[str, Any]) -> str:
    """A partner's name in plain letters for a file name ('' when it has no Latin letters)."""
    folded = plain_letters(str(partner.get("name", ""))).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-")


def file_name(
    partner: dict[str, Any], now: datetime | None = None, partners: list[dict[str, Any]] = ()
) -> str:
    """The zip's name, with the partner's name in plain letters: a counselor who downloads both
    partners' copies must not send one to the other (the name is the partner's own, and the
    file goes to them). 'Partner 1' when the name has no Latin letters; with the position added
    when the other of `partners` (the couple's two) comes out the same in plain letters (Zoë
    and Zoe), so the two files never share a name."""
    slug = _plain_name(partner)
    position = f"partner-{partner.get('position', '')}".rstrip("-")
    same = [p for p in partners if p.get("id") != partner.get("id") and _plain_name(p) == slug]
    who = f"{slug}-{position}" if slug and same else slug or position
    return f"own-data-{who}-{(now or utcnow()):%Y-%m-%d}.zip"
