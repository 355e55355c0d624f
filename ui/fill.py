"""The partner's form: one section at a time, each answer saved on the server as it is given.

Used by the public link page; it knows only the token, never a couple or counselor id.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core import checkins, instruments, links
from core.db import Database
from core.errors import TandemError, ValidationError
from core.instruments import Instrument, Item
from ui.widgets import plain

PREFIX = "fill"  # session-state namespace of this page
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


def _key(token_hash: str, name: str) -> str:
    return f"{PREFIX}.{token_hash[:12]}.{name}"


def _widget_key(token_hash: str, item: Item) -> str:
    return _key(token_hash, f"a.{item.id}")


def _save(db: Database, token: str, token_hash: str, item: Item) -> None:
    """on_change: store this one answer now; remember a problem to show beside the item."""
    errors = st.session_state.setdefault(_key(token_hash, "errors"), {})
    value = st.session_state.get(_widget_key(token_hash, item))
    try:
        links.save_answer(db, token, item.id, _from_widget(item, value))
        errors.pop(item.id, None)
        st.session_state[_key(token_hash, "saved")] = item.prompt
    except ValidationError as e:
        errors[item.id] = next(iter(e.fields.values()))
    except TandemError as e:
        st.session_state[_key(token_hash, "gone")] = str(e)


def _go_to(section_key: str, index: int) -> None:
    """on_click: show another section (or the welcome screen) on the run the click starts."""
    st.session_state[section_key] = index


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


def _widget(db: Database, token: str, token_hash: str, item: Item, saved: Any) -> None:
    """The right input for the item's type, starting from the saved answer."""
    key = _widget_key(token_hash, item)
    kwargs = {"key": key, "on_change": _save, "args": (db, token, token_hash, item)}
    label = item.prompt + (" *" if item.required else "")
    help_text = item.help or None
    t = item.type
    if key not in st.session_state and saved is not None:
        st.session_state[key] = _to_widget(item, saved)
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
        ends = " ↔ ".join(x for x in (item.min_label, item.max_label) if x)
        if ends:
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


def _first_open_section(instrument: Instrument, answers: dict[str, Any]) -> int:
    """Where to resume: the first section with a required item still unanswered."""
    for index, section in enumerate(instrument.sections):
        if any(
            i.required and not instruments.is_answered(answers.get(i.id)) for i in section.items
        ):
            return index
    return len(instrument.sections) - 1


def _heading(text: str) -> None:
    """The form's title, sized for a phone."""
    st.markdown(f"### {text}")


def _calm_stop(message: str) -> None:
    st.info(message)
    st.stop()


def render(db: Database, token: Any, client: str) -> None:
    """The whole partner page for one token."""
    st.html(PHONE_CSS)
    # A standing personal check-in link opens this period's check-in (core/checkins.py); any
    # other token is an ordinary link and goes on exactly as before.
    standing = checkins.open_standing(db, token)
    if standing is not None:
        if standing.period_token is None:
            _heading(f"Hello {standing.partner_name}")
            _calm_stop(standing.message)
        token = standing.period_token
    try:
        link = links.open_link(db, token, client)
        # A questionnaire from instruments/, or a decision's matrix form built from its rows
        # (unavailable if the counselor emptied the matrix after sending the link).
        instrument = links.form_of(db, link)
    except links.LinkUnavailable as e:
        _calm_stop(str(e))
    token_hash = links.hash_token(token)
    gone = st.session_state.get(_key(token_hash, "gone"))
    if link.submitted or gone:
        _heading(instrument.title)
        if link.submitted:
            st.success("Your answers are with your counselor. Thank you. You can close this page.")
            st.stop()
        _calm_stop(gone)

    answers = links.my_answers(db, token)
    section_key = _key(token_hash, "section")
    if section_key not in st.session_state:
        st.session_state[section_key] = -1  # the welcome screen
    index = st.session_state[section_key]
    sections = instrument.sections

    _heading(instrument.title)
    if index < 0:
        st.write(f"Hello {link.partner_name}.")
        st.write(instrument.intro)
        st.caption(
            f"About {instrument.minutes} minutes · link valid until {link.expires_at:%d %b %Y}"
        )
        resume = _first_open_section(instrument, answers) if answers else 0
        label = "Continue where you left off" if answers else "Start"
        # Set in the click's callback: the run it starts draws the section (one run, not two).
        st.button(
            label,
            key=_key(token_hash, "start"),
            type="primary",
            width="stretch",
            on_click=_go_to,
            args=(section_key, resume),
        )
        st.stop()

    index = min(index, len(sections) - 1)
    section = sections[index]
    st.progress((index + 1) / len(sections), text=f"Part {index + 1} of {len(sections)}")
    st.subheader(section.title, anchor=False)
    if section.intro:
        st.write(section.intro)
    if any(i.is_private for i in section.items):
        st.info(instruments.COUNSELOR_ONLY_NOTE)
    errors = st.session_state.setdefault(_key(token_hash, "errors"), {})
    for item in section.items:
        _widget(db, token, token_hash, item, answers.get(item.id))
        if item.id in errors:
            st.error(errors[item.id])
    if any(i.required for i in section.items):
        st.caption("Questions marked * need an answer; the others are up to you.")
    # Said only after the server stored it: a partner whose connection dropped sees no tick
    # for the answer that did not arrive.
    last_saved = st.session_state.pop(_key(token_hash, "saved"), None)
    if last_saved:
        short = last_saved if len(last_saved) <= 60 else last_saved[:57] + "…"
        st.caption(f"✓ Saved: “{plain(short)}”")
    st.caption("Each answer is saved as you give it. You can close this page and come back.")

    def missing_here() -> list[Item]:
        saved = links.my_answers(db, token)
        return [
            i for i in section.items if i.required and not instruments.is_answered(saved.get(i.id))
        ]

    back, forward = st.columns(2)
    if index > 0:
        back.button(
            "Back",
            key=_key(token_hash, "back"),
            width="stretch",
            on_click=_go_to,
            args=(section_key, index - 1),
        )
    last = index == len(sections) - 1
    label = "Send my answers" if last else "Next"
    if forward.button(label, key=_key(token_hash, "next"), type="primary", width="stretch"):
        missing = missing_here()
        if missing:
            st.error(
                "Please answer these before going on: "
                + "; ".join(f"“{i.prompt}”" for i in missing)
            )
            st.stop()
        if not last:
            st.session_state[section_key] = index + 1
            st.rerun()
        try:
            links.submit(db, token)
        except ValidationError as e:
            first = instrument.sections.index(
                next(s for s in sections if any(i.id in e.fields for i in s.items))
            )
            st.session_state[section_key] = first
            st.error("A few questions still need an answer; they are shown now.")
            st.rerun()
        except TandemError as e:
            _calm_stop(str(e))
        st.rerun()
