"""The partner's form: one section at a time, each answer saved on the server as it is given.

Used by the public link page and by a hand-over (ui/handover.py); it knows only the token, never
a couple or counselor id.

Drawn as fragments, so that a phone redraws as little as possible: the form is one fragment
(Start, Back and Next rerun the form, not the page), and each tapped question is a fragment of
its own (a tap saves the answer in its callback, then reruns only that question and its
"✓ Saved"). Written answers are drawn in the form itself: a text box sends its text when it
loses focus, and a tap on Next right after typing must arrive in the same fragment's run as that
text (from a question fragment of its own, the tap on Next was lost and needed a second tap).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from core import checkins, instruments, links
from core.db import Database
from core.errors import TandemError, ValidationError
from core.frontend import NEEDS_AN_ANSWER  # under a question Next stopped for (part 13)
from core.instruments import Instrument, Item, Section
from ui.widgets import READABLE_CSS, REQUIRED, browser_zone, plain, when

PREFIX = "fill"  # session-state namespace of this page
FORM = "fill-form"  # fragment key of the whole form (welcome screen, a section, the thanks)
HANDOVER = "handover"  # the client name ui/handover.py passes: the partner never had a link
# Number buttons (0-10 and percentage shares) are laid out in even rows of at most this many:
# eleven 0-10 buttons fit one row of a 390 px phone (~30 px each), "100%" needs ~48 px.
GRID_MAX_COLUMNS = {"short": 11, "long": 7}
# ... and of at most this many on a screen narrower than NARROW_EM em (an em in a media query is
# the browser's text size): at 200% text a 360 px phone is 11.25em wide, room for six "10"s a
# row (6 + 5) or three "100%".
GRID_NARROW_COLUMNS = {"short": 6, "long": 3}
NARROW_EM = 20  # 320 px at the default 16 px text: the narrowest phone the rows above fit
# A short answer is saved after this pause in typing (st.text_input's `live`); a long one when
# its box loses focus (st.text_area cannot save while typing).
SHORT_TEXT_PAUSE = "1.5s"
# Phones: bigger tap targets and body text; nothing of Streamlit's chrome a partner needs.
# Streamlit's "Press Enter to apply" hint sits over the typed text on a phone: hidden (the
# answer is saved when the box loses focus; each text box has its own count of characters).
PHONE_CSS = (
    """
<style>
  /* The partner's own text size: Streamlit sets the page's at 16 px whatever the browser's. */
  :root { font-size: 100%; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"] { display: none; }
  /* No link beside a heading (a Markdown heading in an intro gets one): nothing to link to. */
  [data-testid="stHeaderActionElements"] { display: none; }
  /* The screen's h1 (the form's or the part's title) at the size it had as an h3: a counselor
     page's 2.75rem took a fifth of a 320 px phone. */
  [data-testid="stMain"] [data-testid="stHeading"] h1 { font-size: 1.75rem; font-weight: 600;
    padding: 0.75rem 0 1rem; }
  .stMainBlockContainer { padding-top: 1.5rem; max-width: 40rem; }
  .stRadio label, .stCheckbox label { min-height: 2.5rem; align-items: center; }
  .stRadio [role="radiogroup"] { gap: 0.35rem; }
  button[kind], .stButtonGroup button { min-height: 2.75rem; }
  /* A choice's words wrap in its button at a large text size, not cut off ("Recognition a…"). */
  .stButtonGroup button, .stButtonGroup button * { white-space: normal; text-overflow: clip; }
  [data-testid="InputInstructions"] { display: none; }
  /* Yes / No: two wide buttons, not two small circles. */
  .stRadio [role="radiogroup"][aria-orientation="horizontal"] { gap: 0.75rem; }
  .stRadio [aria-orientation="horizontal"] [data-testid="stRadioOption"] {
    display: flex; align-items: center; justify-content: center;
    min-width: 6.5rem; min-height: 2.75rem; padding: 0 1.1rem; margin: 0;
    border: 1px solid rgba(49, 51, 63, 0.25); border-radius: 1.5rem; }
  .stRadio [aria-orientation="horizontal"] [data-testid="stRadioOption"]:has(input:checked) {
    border-color: rgb(255, 75, 75); background: rgba(255, 75, 75, 0.08); }
  /* Number buttons in even rows: the grid's column count is in its container's key. */
  [class*="-numbers"] .stElementContainer, [class*="-numbers"] .stButtonGroup,
  [class*="-numbers"] [role="radiogroup"] { width: 100% !important; max-width: none !important; }
  [class*="-numbers"] [role="radiogroup"] { display: grid; gap: 0.3rem; }
  [class*="-numbers"] [role="radiogroup"] button {
    min-width: 0; min-height: 2.75rem; padding: 0 0.1rem; justify-content: center; }
  /* A question reads at the size of the text around it, not smaller. */
  [data-testid="stWidgetLabel"] p { font-size: 1rem; }
  /* The narrowest phones (320 px): "100%" in a row of seven, "10" in a row of eleven. In em
     (22.5em is 360 px at 16 px text), so that a larger text size counts as a narrower phone. */
  @media (max-width: 22.5em) {
    .stMainBlockContainer { padding-left: 0.75rem; padding-right: 0.75rem; }
    [class*="-numbers"] [role="radiogroup"] { gap: 0.2rem; }
    [class*="-numbers"] [role="radiogroup"] button { font-size: 0.8rem; padding: 0; }
  }
"""
    + "".join(
        f'  [class*="-numbers{n}-"] [role="radiogroup"] '
        f"{{ grid-template-columns: repeat({n}, minmax(0, 1fr)); }}\n"
        for n in range(2, max(GRID_MAX_COLUMNS.values()) + 1)
    )
    + f"  @media (max-width: {NARROW_EM - 0.01}em) {{\n"
    + "".join(
        f'    [class*="-narrow{n}-"] [role="radiogroup"] '
        f"{{ grid-template-columns: repeat({n}, minmax(0, 1fr)); }}\n"
        for n in range(2, max(GRID_NARROW_COLUMNS.values()) + 1)
    )
    + "  }\n</style>\n"
    + READABLE_CSS
)
REQUIRED_NOTE = f"Questions marked{REQUIRED} need an answer; the others are up to you."
SAVED_AS_YOU_GO = "Each answer is saved as you give it. You can close this page and come back."
# On the counselor's device (a hand-over) the partner cannot come back by themselves: closing
# the page leaves the form until the counselor signs the device back with their password.
SAVED_HERE = "Each answer is saved as you give it."
# Under a counselor-only question answered in an earlier visit to the link (see _section).
KEPT_HIDDEN = (
    "You answered this one before. Your answer is kept and will reach your counselor; it is "
    "not shown here again, so that nobody else who opens this link can read it. Answer again "
    "only if you want to change it."
)
# Every instrument's intro says this (tests/pages/test_partner_form_fixes.py); a hand-over's
# welcome leaves it out, for the same reason.
COME_BACK = ", so you can stop and come back."
# Said where a section has a text box: its text is sent when the box loses focus, which Tandem's
# page script (core/frontend.py) makes happen when the partner leaves the page too.
TEXT_SAVED = (
    "Something you write is saved when you tap outside its box, tap Next or Back, or switch "
    "away from this page."
)


def _key(token_hash: str, name: str) -> str:
    return f"{PREFIX}.{token_hash[:12]}.{name}"


def _widget_key(token_hash: str, item: Item) -> str:
    return _key(token_hash, f"a.{item.id}")


def _save(db: Database, token: str, token_hash: str, item: Item) -> None:
    """on_change: store this one answer now; the question's own rerun then shows how it went.

    Text longer than its box takes keeps what fits, says so, and holds only that in the widget
    (a huge paste is not sent back and forth on every later run). A choice the form refuses
    (a fourth of "up to three") puts the widget back to the saved answer: the screen shows what
    is stored. A link that is gone meanwhile reruns the whole form, which then says so calmly.
    """
    errors = st.session_state.setdefault(_key(token_hash, "errors"), {})
    cut = st.session_state.setdefault(_key(token_hash, "cut"), {})
    key = _widget_key(token_hash, item)
    value = st.session_state.get(key)
    if item.type in instruments.TEXT_TYPES:
        value, given = _fit(item, value)
        if given is not None:
            st.session_state[key] = value  # only what fits stays in the widget
            cut[item.id] = (
                f"This box takes up to {item.max_chars:,} characters. Your text had {given:,}, "
                f"so only the first {item.max_chars:,} were kept: please shorten it, or tell "
                "your counselor the rest in person."
            )
        else:
            cut.pop(item.id, None)
    try:
        links.save_answer(db, token, item.id, _from_widget(item, value))
        errors.pop(item.id, None)
        _hidden(token_hash).discard(item.id)
        st.session_state.setdefault(_key(token_hash, "given_here"), set()).add(item.id)
        # Said only now that the server has stored it: a partner whose connection dropped
        # sees no tick for the answer that did not arrive.
        st.session_state[_key(token_hash, "saved")] = item.id
    except ValidationError as e:
        errors[item.id] = _problem(item, next(iter(e.fields.values())))
        if item.type in instruments.CHOICE_TYPES:
            _show_saved(db, token, token_hash, item)
    except TandemError as e:
        st.session_state[_key(token_hash, "gone")] = str(e)
        st.rerun(FORM)


def _fit(item: Item, value: Any) -> tuple[Any, int | None]:
    """(the text as kept, its length as given if it was cut to the box's limit, else None)."""
    if isinstance(value, str) and item.max_chars is not None and len(value) > item.max_chars:
        return value[: item.max_chars], len(value)
    return value, None


def _problem(item: Item, message: str) -> str:
    """What to tell the partner about a refused answer."""
    if item.type == instruments.MULTI and item.max_choices is not None:
        return (
            f"You can choose up to {item.max_choices}. Your earlier choices are kept, as shown; "
            "tap one of them to remove it before choosing another."
        )
    if item.type == instruments.NUMBER:
        return f"{message.rstrip('.')}, so it was not saved."
    return message


def _show_saved(db: Database, token: str, token_hash: str, item: Item) -> None:
    """Put a question's widget back to the answer stored for it (none if none is)."""
    try:
        saved = links.my_answers(db, token).get(item.id)
    except TandemError:
        return  # the form's next run says the link is gone
    key = _widget_key(token_hash, item)
    if saved is None or item.id in _hidden(token_hash):
        st.session_state[key] = _empty(item)
    else:
        st.session_state[key] = _to_widget(item, saved)


def _empty(item: Item) -> Any:
    """What a question's widget holds with no answer."""
    if item.type == instruments.MULTI:
        return []
    return "" if item.type in instruments.TEXT_TYPES else None


def _hidden(token_hash: str) -> set[str]:
    """The counselor-only questions answered in an earlier visit to this link, whose answers
    this visit keeps but does not show (see _section)."""
    return st.session_state.setdefault(_key(token_hash, "hidden"), set())


def _leave(token_hash: str, section: Section) -> None:
    """Forget the answers a section's widgets hold, on leaving it: coming back draws them from
    the saved answers again. (A form run does not drop the widgets of its question fragments
    that it no longer draws, and a widget kept that way would show no answer when drawn again.)
    """
    cut = st.session_state.get(_key(token_hash, "cut"), {})
    errors = st.session_state.get(_key(token_hash, "errors"), {})
    st.session_state.pop(_key(token_hash, "missing"), None)
    for item in section.items:
        st.session_state.pop(_widget_key(token_hash, item), None)
        cut.pop(item.id, None)
        errors.pop(item.id, None)  # the refused answer is gone with its widget


def _go_to(token_hash: str, leaving: Section | None, index: int) -> None:
    """on_click: show another section (or the welcome screen) on the run the click starts."""
    if leaving is not None:
        _leave(token_hash, leaving)
    st.session_state[_key(token_hash, "section")] = index


# How the notice above Next or Send starts when required questions are unanswered; the
# questions follow, each marked where it stands (core/frontend.py, part 13).
BEFORE_GOING_ON = "Before going on, please answer"


def _forward(db: Database, token: str, token_hash: str, instrument: Instrument, index: int):
    """on_click of Next / Send: check this section's required answers, then go on or send."""
    notice = _key(token_hash, "notice")
    sections = instrument.sections
    try:
        saved = links.my_answers(db, token)
        if _flush_text(db, token, token_hash, sections[index], saved):
            saved = links.my_answers(db, token)
    except TandemError as e:
        st.session_state[_key(token_hash, "gone")] = str(e)
        return
    errors = st.session_state.get(_key(token_hash, "errors"), {})
    refused = [i for i in sections[index].items if i.id in errors]
    if refused:
        st.session_state[notice] = (
            "An answer on this page was not saved: put right the one marked in red ("
            + "; ".join(f"“{i.prompt}”" for i in refused)
            + "), or clear it, before going on."
        )
        return
    missing = [
        i
        for i in sections[index].items
        if i.required and not instruments.is_answered(saved.get(i.id))
    ]
    st.session_state[_key(token_hash, "missing")] = {i.id for i in missing}
    if missing:
        # One question a line: five in a row, "”; “"-joined, were a red wall on a phone.
        quoted = [f"“{plain(i.prompt)}”" for i in missing]
        st.session_state[notice] = (
            f"{BEFORE_GOING_ON} this question: {quoted[0]}"
            if len(quoted) == 1
            else f"{BEFORE_GOING_ON} these {len(quoted)} questions:\n\n"
            + "\n".join(f"- {q}" for q in quoted)
        )
        return
    if index < len(sections) - 1:
        _go_to(token_hash, sections[index], index + 1)
        return
    try:
        links.submit(db, token)  # a repeat tap sends nothing twice
    except ValidationError as e:
        first = next(n for n, s in enumerate(sections) if any(i.id in e.fields for i in s.items))
        _go_to(token_hash, sections[index], first)
        st.session_state[notice] = "A few questions still need an answer; they are shown now."
        return
    except TandemError as e:
        st.session_state[_key(token_hash, "gone")] = str(e)
        return
    # The whole page: a hand-over shows its own "hand the device back" screen once sent.
    st.rerun()


def _flush_text(db, token, token_hash: str, section: Section, saved: dict[str, Any]) -> bool:
    """Save the section's text boxes whose text is not stored yet; True if any was.

    A tap on Next right after typing sends the text and the tap together, and Streamlit may run
    the button's callback before the box's: Next must not find a written answer missing.
    """
    flushed = False
    for item in section.items:
        key = _widget_key(token_hash, item)
        if item.type not in instruments.TEXT_TYPES or key not in st.session_state:
            continue  # only a box on screen holds text that may not be stored yet
        if item.id in _hidden(token_hash) and not st.session_state[key]:
            continue  # kept from an earlier visit, not shown: left alone, not cleared
        if (st.session_state[key] or "") != (saved.get(item.id) or ""):
            _save(db, token, token_hash, item)
            flushed = True
    return flushed


def _from_widget(item: Item, value: Any) -> Any:
    if item.type == instruments.MULTI:
        return list(value or [])
    return value


def _number_range(item: Item) -> tuple[float, float, float]:
    """min, max and step of a number question, all of one type: Streamlit refuses a mix (the
    check-in's hours a week run 0 to 168 in steps of 0.5)."""
    values = (item.min, item.max, item.step or 1)
    if all(float(v).is_integer() for v in values):
        return tuple(int(v) for v in values)
    return tuple(float(v) for v in values)


def _to_widget(item: Item, saved: Any) -> Any:
    """A saved answer as its widget holds it (a whole number of hours is stored as an int)."""
    if item.type == instruments.NUMBER:
        return type(_number_range(item)[0])(saved)
    return saved


def _split_label(item: Item, share: int) -> str:
    return f"{item.me_label} {share}% · {item.partner_label} {100 - share}%"


def _split_options(item: Item) -> list[int]:
    step = item.step or 5
    if (item.max - item.min) / step > 20:  # more than 21 buttons is too many on a phone
        step = 10
    values, v = [], item.min
    while v <= item.max + 1e-9:
        values.append(int(v) if float(v).is_integer() else v)
        v += step
    return values


def _grid_columns(labels: list[str], most: dict[str, int] = GRID_MAX_COLUMNS) -> int:
    """Columns for a row of number buttons: as many as fit a phone, in rows of even length."""
    kind = "short" if max(len(label) for label in labels) <= 2 else "long"
    rows = -(-len(labels) // most[kind])
    return -(-len(labels) // rows)


def _grid(token_hash: str, item: Item, labels: list[str]) -> str:
    """The key of the container of a question's number buttons: it names the grid's columns,
    on a phone and on a narrow one (PHONE_CSS lays them out by it)."""
    wide, narrow = _grid_columns(labels), _grid_columns(labels, GRID_NARROW_COLUMNS)
    return _key(token_hash, f"narrow{narrow}-numbers{wide}-{item.id}")


def _number_label(item: Item) -> str:
    """A number question's prompt, with its unit unless the prompt already names it."""
    words = [w for w in item.unit.lower().split() if w not in ("a", "an", "per", "the")]
    prompt = item.prompt.lower()
    if not item.unit or all(w in prompt or w.rstrip("s") in prompt for w in words):
        return item.prompt
    return f"{item.prompt} ({item.unit})"


def _question(db: Database, token: str, token_hash: str, item: Item) -> None:
    """One question: the right input for the item's type (holding the saved answer), then the
    problem with the last answer given or the confirmation that it was saved."""
    key = _widget_key(token_hash, item)
    kwargs = {"key": key, "on_change": _save, "args": (db, token, token_hash, item)}
    required = REQUIRED if item.required else ""
    label = item.prompt + required
    # A counselor-only (safety) question's help is where it is read, not behind a (?) a phone
    # may never open: "If you are in danger right now…" (drawn under the question, below).
    help_text = None if item.is_private else (item.help or None)
    t = item.type
    if t == instruments.SCALE or t == instruments.SINGLE:
        values = [o.value for o in item.options]
        labels = {o.value: o.label for o in item.options}
        st.radio(label, values, index=None, format_func=labels.get, help=help_text, **kwargs)
    elif t == instruments.MULTI:
        labels = {o.value: o.label for o in item.options}
        st.pills(
            label,
            list(labels),
            selection_mode="multi",
            format_func=labels.get,
            help=help_text,
            **kwargs,
        )
    elif t == instruments.SLIDER:
        values = list(range(int(item.min), int(item.max) + 1, int(item.step or 1)))
        with st.container(key=_grid(token_hash, item, [str(v) for v in values])):
            st.pills(label, values, selection_mode="single", help=help_text, **kwargs)
            # In the buttons' container: the page script (core/frontend.py) has each button
            # described by it, so a screen reader says what the ends mean, not a bare "7".
            if item.min_label or item.max_label:
                st.caption(
                    f"{int(item.min)} = {item.min_label} · {int(item.max)} = {item.max_label}"
                )
    elif t == instruments.SPLIT:
        values = _split_options(item)
        with st.container(key=_grid(token_hash, item, [f"{v}%" for v in values])):
            st.pills(
                label,
                values,
                selection_mode="single",
                format_func=lambda v: f"{v}%",
                help=help_text,
                **kwargs,
            )
        current = st.session_state.get(key)
        st.caption(
            _split_label(item, current)
            if current is not None
            else f"Tap the share that is yours ({item.me_label.lower()}); the rest is your partner's."
        )
    elif t == instruments.NUMBER:
        _, _, step = _number_range(item)
        # No min_value / max_value on the widget: the browser would only turn a number outside
        # them red (a hint a phone cannot show) and keep the old answer without a word; core
        # refuses it in words under the question, and Next waits until it is put right.
        st.number_input(
            _number_label(item) + required,
            step=step,
            value=None,
            # 40 shows as "40", 37.5 as "37.5" (Streamlit's default for decimals is "40.00").
            format="%d" if isinstance(step, int) else "%g",
            help=help_text,
            **kwargs,
        )
    elif t == instruments.YES_NO:
        st.radio(
            label,
            [True, False],
            index=None,
            format_func=lambda v: "Yes" if v else "No",
            horizontal=True,
            help=help_text,
            **kwargs,
        )
    elif t == instruments.SHORT_TEXT:
        # No max_chars on the widget: the browser would silently refuse a paste over the limit
        # (the box stayed empty); _save keeps what fits and says so.
        st.text_input(label, help=help_text, live=SHORT_TEXT_PAUSE, **kwargs)
    else:
        st.text_area(label, help=help_text, height=120, **kwargs)
    if item.is_private and item.help:
        st.caption(plain(item.help))
    hidden = item.id in _hidden(token_hash)
    if hidden:
        st.caption(KEPT_HIDDEN)
    errors = st.session_state.get(_key(token_hash, "errors"), {})
    problem = errors.get(item.id)
    cut = st.session_state.get(_key(token_hash, "cut"), {}).get(item.id)
    missing = st.session_state.get(_key(token_hash, "missing"), set())
    if problem:
        st.error(problem)
        if item.type in instruments.CHOICE_TYPES:
            del errors[item.id]  # the widget already shows the saved answer: nothing to fix
    elif cut:
        st.warning(cut)
    elif (
        item.id in missing and not hidden and not instruments.is_answered(st.session_state.get(key))
    ):
        # Marked where it is after a Next that stopped for it, until it has an answer.
        st.error(NEEDS_AN_ANSWER, icon=":material/arrow_upward:")
    if not problem and st.session_state.get(_key(token_hash, "saved")) == item.id:
        del st.session_state[_key(token_hash, "saved")]  # said once, on the run after the save
        # The prompt as its label shows it (Markdown, escaped where it came from a counselor).
        short = item.prompt if len(item.prompt) <= 60 else item.prompt[:57] + "…"
        if instruments.is_answered(st.session_state.get(key)):
            st.caption(f"✓ Saved: “{short}”")
        else:  # a second tap on the chosen answer takes it back: no tick for nothing
            st.caption(f"Answer removed: “{short}”")
    if item.type in instruments.TEXT_TYPES:
        st.caption(_count(item, st.session_state.get(key)))


def _count(item: Item, text: Any) -> str:
    """'120 of 4,000 characters' under a text box (Streamlit's own count sat over the text)."""
    used = len(text) if isinstance(text, str) else 0
    return f"{used:,} of {item.max_chars:,} characters"


# A tap on an answer reruns only its own question.
_one_question = st.fragment(_question)


def _resume_section(instrument: Instrument, answers: dict[str, Any]) -> int:
    """Where "Continue where you left off" opens: where the partner last gave an answer.

    That is the last section holding a saved answer, or the one after it once every question
    there is answered; never later than the first section with a required answer missing. A
    partner has seen every section up to her last answer, so nothing she has not seen is
    skipped; a section she stopped halfway through opens again, with her answers in it.
    """
    sections = instrument.sections
    answered = [
        n
        for n, s in enumerate(sections)
        if any(instruments.is_answered(answers.get(i.id)) for i in s.items)
    ]
    if not answered:
        return 0
    last = answered[-1]
    if all(instruments.is_answered(answers.get(i.id)) for i in sections[last].items):
        last = min(last + 1, len(sections) - 1)
    for n, section in enumerate(sections[:last]):
        if any(
            i.required and not instruments.is_answered(answers.get(i.id)) for i in section.items
        ):
            return n
    return last


def _heading(text: str) -> None:
    """The screen's one h1 (the form's title, or the part's), sized for a phone by PHONE_CSS,
    without Streamlit's link to it (a Markdown heading gets one, which a screen reader reads
    out and a keyboard stops at). An h1, not an h3: the partner's page has no other heading,
    and a screen reader's list of headings started at level 3 (an accessibility audit)."""
    st.title(plain(text), anchor=False)


def _open(
    db: Database, token: Any, client: str
) -> tuple[Any, Any, Instrument, checkins.StandingOpen | None] | None:
    """(token, link, form, the standing check-in link that opened it, if one did) of a live or
    sent link; None once a calm message says it is not."""
    # A standing personal check-in link opens this period's check-in (core/checkins.py); any
    # other token is an ordinary link and goes on exactly as before.
    standing = checkins.open_standing(db, token, zone=browser_zone())
    if standing is not None:
        if standing.period_token is None:
            _heading(f"Hello {standing.partner_name}")
            st.info(standing.message)
            return None
        token = standing.period_token
    try:
        # A device that has tried many wrong links waits a little longer for each (core.links):
        # past half a second it sees that something is happening instead of a blank page.
        with st.spinner("Opening your link…"):
            link = links.open_link(db, token, client)
        # A questionnaire from instruments/, or a decision's matrix form built from its rows
        # (unavailable if the counselor emptied the matrix after sending the link).
        return token, link, links.form_of(db, link), standing
    except links.LinkUnavailable as e:
        st.info(plain(e))
        return None
    except links.AlreadySubmitted as e:  # sent, and the link has closed since
        st.success(str(e))
        return None


@st.fragment(key=FORM)
def _form(db: Database, token: Any, client: str, practice: str = "") -> None:
    """The form for one token: the link is checked again on every run of it."""
    opened = _open(db, token, client)
    if opened is None:
        return
    token, link, instrument, standing = opened
    token_hash = links.hash_token(token)
    gone = st.session_state.get(_key(token_hash, "gone"))
    if link.submitted:
        _heading(instrument.title)
        st.success("Your answers are with your counselor. Thank you. You can close this page.")
        return
    if gone:
        _heading(instrument.title)
        st.info(gone)
        return

    index = st.session_state.setdefault(_key(token_hash, "section"), -1)  # -1: welcome screen
    if index < 0:
        until = _open_until(link, client, standing)
        _welcome(db, token, token_hash, link, instrument, until, practice, client == HANDOVER)
    else:
        last = len(instrument.sections) - 1
        _section(db, token, token_hash, instrument, min(index, last), client == HANDOVER)


def _open_until(link: Any, client: str, standing: checkins.StandingOpen | None) -> str:
    """Until when the partner can answer, as the welcome screen says it ('' to say nothing).

    A hand-over has no link the partner could keep. A personal check-in link lasts a year, but
    the check-in it opens now closes with its period (core.checkins says on which day).
    """
    if client == HANDOVER:
        return ""
    if standing is None:
        return f"link valid until {when(link.expires_at)}"
    if standing.open_until is None:
        return ""
    return f"this check-in is open until {standing.open_until_words}"


def _hello(name: str) -> str:
    """ "Hello Sam." (a name that ends in a full stop, "Alex R.", gets no second one)."""
    return f"Hello {plain(name)}{'' if name.endswith('.') else '.'}"


def _welcome(
    db,
    token,
    token_hash,
    link,
    instrument: Instrument,
    open_until: str,
    practice: str = "",
    handed_over: bool = False,
) -> None:
    answers = links.my_answers(db, token)
    _heading(instrument.title)
    intro = instrument.intro.replace(COME_BACK, ".") if handed_over else instrument.intro
    st.markdown(f"{_hello(link.partner_name)}\n\n{intro}")
    # Who sent it, so a partner knows the link is from their counselor's practice.
    facts = [f"From {plain(practice)}" if practice else "", f"About {instrument.minutes} minutes"]
    # Two partners' codes can be on one screen in session: the one who scanned the other's
    # would answer, and read the saved answers, as them.
    name = plain(link.partner_name)
    # Not on the counselor's device (a hand-over): there the counselor hands it to the partner
    # named, and "close this page" would be wrong advice (an owner's walkthrough).
    not_you = (
        ""
        if handed_over
        else f"  \nNot {name}? Please close this page: the link is {name}'s alone, and your "
        "counselor can give you your own."
    )
    st.caption(" · ".join(f for f in (*facts, open_until) if f) + not_you)
    # Set in the click's callback: the run it starts draws the section (one run, not two).
    st.button(
        "Continue where you left off" if answers else "Start",
        key=_key(token_hash, "start"),
        type="primary",
        width="stretch",
        on_click=_go_to,
        args=(token_hash, None, _resume_section(instrument, answers) if answers else 0),
    )


def _section(
    db, token, token_hash, instrument: Instrument, index: int, handed_over: bool = False
) -> None:
    sections = instrument.sections
    section = sections[index]
    answers = None  # read at most once a run (the last part's count below needs them too)
    if any(_widget_key(token_hash, i) not in st.session_state for i in section.items):
        # The saved answers start the widgets off (a reopened link resumes with them); after
        # that the widgets hold them, so the section's later runs need not read them again.
        answers = links.my_answers(db, token)
        given_here = st.session_state.get(_key(token_hash, "given_here"), set())
        for item in section.items:
            key = _widget_key(token_hash, item)
            if key in st.session_state or answers.get(item.id) is None:
                continue
            if item.is_private and item.id not in given_here:
                # A counselor-only (safety) answer given in an earlier visit is kept and sent,
                # but not shown again: the link stays in the phone's history for months, and
                # whoever opens it there (the partner it is about, perhaps) would read "I have
                # felt afraid at home: often" (a privacy review). Answered again, it shows.
                _hidden(token_hash).add(item.id)
                st.session_state[key] = _empty(item)
                continue
            st.session_state[key] = _to_widget(item, answers[item.id])
    # The form's name in small type on each part (in full on the welcome screen): on a 320 px
    # phone the heading took a fifth of the screen on every part.
    st.progress(
        (index + 1) / len(sections),
        text=f"{plain(instrument.title)} · Part {index + 1} of {len(sections)}",
    )
    st.title(section.title, anchor=False)  # the part's h1 (see _heading)
    if section.intro:
        st.write(section.intro)
    if any(i.is_private for i in section.items):
        st.info(instruments.COUNSELOR_ONLY_NOTE)
    if any(i.required for i in section.items):
        st.caption(REQUIRED_NOTE)  # before the questions, so it is read before the first one
    for item in section.items:
        if item.type in instruments.TEXT_TYPES:
            # In the form's own run: the text and a tap on Next arrive together (see above).
            _question(db, token, token_hash, item)
        else:
            _one_question(db, token, token_hash, item)
    writes = any(i.type in instruments.TEXT_TYPES for i in section.items)
    saved = SAVED_HERE if handed_over else SAVED_AS_YOU_GO
    saved_line = f"{saved}  \n{TEXT_SAVED}" if writes else saved
    # Why Next or Send stopped goes above them, in the place of the line on saving (which moves
    # below them meanwhile): under them, a screen reader reached it only past the button it
    # explains, and a phone had it below the fold (an accessibility audit; part 13 of
    # core/frontend.py still takes the focus to the first question it names). In that place,
    # not one more before them: Back and Next keep their places, and so the focus (drawn one
    # place down, Next was drawn anew and the focus fell to the page).
    notice = st.session_state.pop(_key(token_hash, "notice"), None)
    if notice:
        st.error(notice)
    else:
        st.caption(saved_line)
    last = index == len(sections) - 1
    if last and index > 0:
        _unanswered_before(db, token, sections[:index], answers)
    with st.container(horizontal=True):
        if index > 0:
            st.button(
                "Back",
                key=_key(token_hash, "back"),
                width="stretch",
                on_click=_go_to,
                args=(token_hash, section, index - 1),
            )
        st.button(
            "Send my answers" if last else "Next",
            key=_key(token_hash, "next"),
            type="primary",
            width="stretch",
            on_click=_forward,
            args=(db, token, token_hash, instrument, index),
        )
    if notice:
        st.caption(saved_line)


def _unanswered_before(
    db, token, earlier: Sequence[Section], answers: dict[str, Any] | None = None
) -> None:
    """Above Send: how many questions of the earlier parts were left unanswered, and where. A
    partner who skipped a whole part (or lost answers to a dropped connection) sent without a
    word (a walkthrough); they are optional, so this only says so, once, before the end.
    `answers`: the saved answers if this run has read them already."""
    if answers is None:
        try:
            answers = links.my_answers(db, token)
        except TandemError:
            return  # the form's next run says the link is gone
    parts = {
        n + 1: sum(not instruments.is_answered(answers.get(i.id)) for i in section.items)
        for n, section in enumerate(earlier)
    }
    left = {n: count for n, count in parts.items() if count}
    if not left:
        return
    total = sum(left.values())
    where = _and([str(n) for n in left])
    st.caption(
        f"You left {total} question{'s' if total != 1 else ''} unanswered in "
        f"part{'s' if len(left) != 1 else ''} {where}. That is fine: they are optional. To "
        "answer them first, use Back."
    )


def _and(words: Sequence[str]) -> str:
    """'1', '1 and 3', '1, 3 and 4'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def render(db: Database, token: Any, client: str, practice: str = "") -> None:
    """The whole partner page for one token (`practice`: the practice's name, said on the
    welcome screen)."""
    st.html(PHONE_CSS)
    _form(db, token, client, practice)
