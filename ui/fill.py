"""The partner's form: one section at a time, each answer saved on the server as it is given.

Used by the public link page and by a hand-over (ui/handover.py); it knows only the token, never
a couple or counselor id.

Drawn as fragments, so that a phone redraws as little as possible: the form is one fragment
(Start, Back and Next rerun the form, not the page), and each question is a fragment of its own
(a tap saves the answer in its callback, then reruns only that question and its "✓ Saved").
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core import checkins, instruments, links
from core.db import Database
from core.errors import TandemError, ValidationError
from core.instruments import Instrument, Item, Section
from ui.widgets import plain

PREFIX = "fill"  # session-state namespace of this page
FORM = "fill-form"  # fragment key of the whole form (welcome screen, a section, the thanks)
# Phones: bigger tap targets and body text; nothing of Streamlit's chrome a partner needs.
PHONE_CSS = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"] { display: none; }
  .stMainBlockContainer { padding-top: 1.5rem; max-width: 40rem; }
  .stRadio label, .stCheckbox label { min-height: 2.5rem; align-items: center; }
  .stRadio [role="radiogroup"] { gap: 0.35rem; }
  button[kind] { min-height: 2.75rem; }
</style>
"""
REQUIRED_NOTE = "Questions marked * need an answer; the others are up to you."
SAVED_AS_YOU_GO = "Each answer is saved as you give it. You can close this page and come back."


def _key(token_hash: str, name: str) -> str:
    return f"{PREFIX}.{token_hash[:12]}.{name}"


def _widget_key(token_hash: str, item: Item) -> str:
    return _key(token_hash, f"a.{item.id}")


def _save(db: Database, token: str, token_hash: str, item: Item) -> None:
    """on_change: store this one answer now; the question's own rerun then shows how it went.

    A link that is gone meanwhile reruns the whole form, which then says so calmly.
    """
    errors = st.session_state.setdefault(_key(token_hash, "errors"), {})
    value = st.session_state.get(_widget_key(token_hash, item))
    try:
        links.save_answer(db, token, item.id, _from_widget(item, value))
        errors.pop(item.id, None)
        # Said only now that the server has stored it: a partner whose connection dropped
        # sees no tick for the answer that did not arrive.
        st.session_state[_key(token_hash, "saved")] = item.id
    except ValidationError as e:
        errors[item.id] = next(iter(e.fields.values()))
    except TandemError as e:
        st.session_state[_key(token_hash, "gone")] = str(e)
        st.rerun(FORM)


def _leave(token_hash: str, section: Section) -> None:
    """Forget the answers a section's widgets hold, on leaving it: coming back draws them from
    the saved answers again. (A form run does not drop the widgets of its question fragments
    that it no longer draws, and a widget kept that way would show no answer when drawn again.)
    """
    for item in section.items:
        st.session_state.pop(_widget_key(token_hash, item), None)


def _go_to(token_hash: str, leaving: Section | None, index: int) -> None:
    """on_click: show another section (or the welcome screen) on the run the click starts."""
    if leaving is not None:
        _leave(token_hash, leaving)
    st.session_state[_key(token_hash, "section")] = index


def _forward(db: Database, token: str, token_hash: str, instrument: Instrument, index: int):
    """on_click of Next / Send: check this section's required answers, then go on or send."""
    notice = _key(token_hash, "notice")
    sections = instrument.sections
    try:
        saved = links.my_answers(db, token)
    except TandemError as e:
        st.session_state[_key(token_hash, "gone")] = str(e)
        return
    missing = [
        i
        for i in sections[index].items
        if i.required and not instruments.is_answered(saved.get(i.id))
    ]
    if missing:
        st.session_state[notice] = "Please answer these before going on: " + "; ".join(
            f"“{i.prompt}”" for i in missing
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


def _question(db: Database, token: str, token_hash: str, item: Item) -> None:
    """One question, drawn as a fragment: the right input for the item's type (holding the saved
    answer), then the problem with the last tap's answer or the confirmation that it was saved."""
    key = _widget_key(token_hash, item)
    kwargs = {"key": key, "on_change": _save, "args": (db, token, token_hash, item)}
    label = item.prompt + (" *" if item.required else "")
    help_text = item.help or None
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
        st.pills(label, values, selection_mode="single", help=help_text, **kwargs)
        if item.min_label or item.max_label:
            st.caption(f"{int(item.min)} = {item.min_label} · {int(item.max)} = {item.max_label}")
    elif t == instruments.SPLIT:
        st.pills(
            label,
            _split_options(item),
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
        low, high, step = _number_range(item)
        st.number_input(
            label + (f" ({item.unit})" if item.unit else ""),
            min_value=low,
            max_value=high,
            step=step,
            value=None,
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
        st.text_input(label, max_chars=item.max_chars, help=help_text, **kwargs)
    else:
        st.text_area(label, max_chars=item.max_chars, help=help_text, height=120, **kwargs)
    problem = st.session_state.get(_key(token_hash, "errors"), {}).get(item.id)
    if problem:
        st.error(problem)
    elif st.session_state.get(_key(token_hash, "saved")) == item.id:
        del st.session_state[_key(token_hash, "saved")]  # said once, on the run after the save
        short = item.prompt if len(item.prompt) <= 60 else item.prompt[:57] + "…"
        st.caption(f"✓ Saved: “{plain(short)}”")


# A tap on an answer reruns only its own question.
_one_question = st.fragment(_question)


def _first_open_section(instrument: Instrument, answers: dict[str, Any]) -> int:
    """Where to resume: the first section with a required item still unanswered."""
    for index, section in enumerate(instrument.sections):
        if any(
            i.required and not instruments.is_answered(answers.get(i.id)) for i in section.items
        ):
            return index
    return len(instrument.sections) - 1


def _heading(text: str) -> str:
    """The form's title, sized for a phone, as Markdown."""
    return f"### {plain(text)}"


def _open(db: Database, token: Any, client: str) -> tuple[Any, Any, Instrument] | None:
    """(token, link, form) of a live or sent link; None once a calm message says it is not."""
    # A standing personal check-in link opens this period's check-in (core/checkins.py); any
    # other token is an ordinary link and goes on exactly as before.
    standing = checkins.open_standing(db, token)
    if standing is not None:
        if standing.period_token is None:
            st.markdown(_heading(f"Hello {standing.partner_name}"))
            st.info(standing.message)
            return None
        token = standing.period_token
    try:
        link = links.open_link(db, token, client)
        # A questionnaire from instruments/, or a decision's matrix form built from its rows
        # (unavailable if the counselor emptied the matrix after sending the link).
        return token, link, links.form_of(db, link)
    except links.LinkUnavailable as e:
        st.info(str(e))
        return None


@st.fragment(key=FORM)
def _form(db: Database, token: Any, client: str) -> None:
    """The form for one token: the link is checked again on every run of it."""
    opened = _open(db, token, client)
    if opened is None:
        return
    token, link, instrument = opened
    token_hash = links.hash_token(token)
    gone = st.session_state.get(_key(token_hash, "gone"))
    if link.submitted:
        st.markdown(_heading(instrument.title))
        st.success("Your answers are with your counselor. Thank you. You can close this page.")
        return
    if gone:
        st.markdown(_heading(instrument.title))
        st.info(gone)
        return

    index = st.session_state.setdefault(_key(token_hash, "section"), -1)  # -1: welcome screen
    if index < 0:
        _welcome(db, token, token_hash, link, instrument)
    else:
        _section(db, token, token_hash, instrument, min(index, len(instrument.sections) - 1))


def _welcome(db, token, token_hash, link, instrument: Instrument) -> None:
    answers = links.my_answers(db, token)
    st.markdown(
        f"{_heading(instrument.title)}\n\nHello {plain(link.partner_name)}.\n\n{instrument.intro}"
    )
    st.caption(f"About {instrument.minutes} minutes · link valid until {link.expires_at:%d %b %Y}")
    # Set in the click's callback: the run it starts draws the section (one run, not two).
    st.button(
        "Continue where you left off" if answers else "Start",
        key=_key(token_hash, "start"),
        type="primary",
        width="stretch",
        on_click=_go_to,
        args=(token_hash, None, _first_open_section(instrument, answers) if answers else 0),
    )


def _section(db, token, token_hash, instrument: Instrument, index: int) -> None:
    sections = instrument.sections
    section = sections[index]
    if any(_widget_key(token_hash, i) not in st.session_state for i in section.items):
        # The saved answers start the widgets off (a reopened link resumes with them); after
        # that the widgets hold them, so the section's later runs need not read them again.
        answers = links.my_answers(db, token)
        for item in section.items:
            key = _widget_key(token_hash, item)
            if key not in st.session_state and answers.get(item.id) is not None:
                st.session_state[key] = _to_widget(item, answers[item.id])
    st.markdown(_heading(instrument.title))
    st.progress((index + 1) / len(sections), text=f"Part {index + 1} of {len(sections)}")
    st.subheader(section.title, anchor=False)
    if section.intro:
        st.write(section.intro)
    if any(i.is_private for i in section.items):
        st.info(instruments.COUNSELOR_ONLY_NOTE)
    for item in section.items:
        _one_question(db, token, token_hash, item)
    required = any(i.required for i in section.items)
    st.caption(f"{REQUIRED_NOTE}  \n{SAVED_AS_YOU_GO}" if required else SAVED_AS_YOU_GO)
    last = index == len(sections) - 1
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
    notice = st.session_state.pop(_key(token_hash, "notice"), None)
    if notice:
        st.error(notice)


def render(db: Database, token: Any, client: str) -> None:
    """The whole partner page for one token."""
    st.html(PHONE_CSS)
    _form(db, token, client)
