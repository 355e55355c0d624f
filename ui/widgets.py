"""Shared widgets: the partner profile fields, field errors, and calm error display."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import streamlit as st

from core import alerts, dates, markdown, partners
from core.dates import EARLIEST, LATEST
from core.errors import Conflict, NotFound, TandemError, ValidationError
from ui import state
from ui.once import Pick, make, picked

# Characters that carry meaning in Streamlit's Markdown; escaped so typed text stays text.
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()<>#+-.!|~$:&")


# Readable and operable by keyboard, on every page (accessibility review, 2026-11-23). Drawn
# within an element each page has anyway (the sidebar's name, the partner's phone styles), so
# it adds no element:
# - captions carry instructions (a scale's ends, "If you are in danger…"), and Streamlit draws
#   them at 60 % of the text colour, 3.9:1 on white; at 80 % they read at about 7:1;
# - what has the keyboard's focus is outlined: a focused radio option, pill or sidebar link
#   looked the same as the others (1.1–2.2:1);
# - a chosen pill's red text on its pink was 3.8:1: dark red instead;
# - (a second audit, 2026-11-25) buttons, tabs, the chart's toolbar and expanders got Streamlit's
#   own focus ring, half-transparent red at 2.2:1, or none: the same outline now; a chart's
#   toolbar (Show data, Fullscreen…) is drawn while a button of it has the focus, not only on
#   hover; a text box's edge was 1.4:1 on white, now 3.3:1.
READABLE_CSS = """<style>
  [data-testid="stCaptionContainer"] { opacity: 0.8; }
  [data-testid="stRadioOption"]:has(input:focus-visible),
  [data-testid="stButtonGroup"] button:focus-visible,
  [data-testid="stPageLink"] a:focus-visible,
  [data-testid="stSidebar"] a:focus-visible,
  [data-testid="stMain"] button:focus-visible,
  [data-testid="stSidebar"] button:focus-visible,
  [role="tab"]:focus-visible,
  [data-testid="stExpander"] summary:focus-visible,
  [data-testid="stElementToolbar"] button:focus-visible {
    outline: 3px solid rgb(47, 45, 43) !important; outline-offset: 2px; }
  [data-testid="stElementToolbar"]:focus-within { opacity: 1 !important; }
  :is([data-testid="stTextAreaRootElement"], [data-testid="stTextInputRootElement"],
    [data-testid="stDateInputField"], [data-testid="stNumberInputContainer"],
    [data-testid="stSelectbox"] div:has(> input)):not(:focus-within) {
    border-color: rgb(133, 136, 142) !important; }
  [data-testid="stButtonGroup"] button:is([aria-checked="true"], [aria-pressed="true"]) {
    color: rgb(140, 24, 38) !important; }
  /* A chart wider than its column (a tablet beside the sidebar: the equity and trend charts
     have fixed widths) is drawn smaller, not cut off past the screen's edge. */
  [data-testid="stVegaLiteChart"] { max-width: 100%; }
  [data-testid="stVegaLiteChart"] svg.marks { max-width: 100%; height: auto; }
  /* A chart's picture and its Vega-Lite spec (which holds its data) leave only through
     Tandem's audited exports: Streamlit's toolbar offers both whatever disableDataExport says.
     "Show data" and "Fullscreen" stay. */
  [data-testid="stElementToolbarButton"]:has(
    button:is([aria-label="Download as PNG"], [aria-label="Copy Vega-Lite spec"])) {
    display: none !important; }
  /* A chart's numbers, folded under it (core/chart_tables.py): the summary shows it opens and
     takes the focus ring; each table scrolls in its own region (Tab reaches it) under a heading
     row that stays, figures right-aligned under their headings. */
  .tandem-numbers { margin: 0.25rem 0 0.5rem; }
  .tandem-numbers summary { cursor: pointer; width: fit-content; text-decoration: underline; }
  .tandem-numbers summary:focus-visible, .tandem-numbers-table:focus-visible {
    outline: 3px solid rgb(47, 45, 43); outline-offset: 2px; }
  .tandem-numbers-table { overflow: auto; max-height: 24rem; margin: 0.5rem 0; }
  .tandem-numbers table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  .tandem-numbers caption { caption-side: top; text-align: left; padding: 0 0 0.25rem;
    position: sticky; left: 0; max-width: calc(100vw - 3rem); }
  .tandem-numbers th, .tandem-numbers td { padding: 0.15rem 0.6rem 0.15rem 0;
    border-bottom: 1px solid rgb(230, 232, 236); text-align: left; vertical-align: top; }
  .tandem-numbers td { text-align: right; white-space: nowrap; }
  .tandem-numbers table.words td { text-align: left; white-space: normal; min-width: 5rem; }
  /* The column of titles keeps room for them: on a phone, with every column at its narrowest,
     a milestone's title stood a word a line beside an empty "Until". */
  .tandem-numbers table.words td.long { min-width: 9rem; }
  .tandem-numbers thead th { position: sticky; top: 0; background: rgb(255, 255, 255);
    font-weight: 600; vertical-align: bottom; min-width: 4.5rem; }
  .tandem-numbers tbody th { font-weight: 400; white-space: nowrap; }
  /* A new link's texts beside its code (ui/links.py): below it where they would be narrower. */
  div:has(> [class*="st-key-issued-text-"]) { min-width: 18rem; }
  /* A decision matrix's option names in narrow columns break between syllables, with a hyphen
     ("Chica-go"), not anywhere ("Chicag/o", "togeth/er"). */
  [class*="st-key-decisions-"][class*="-head"] p { overflow-wrap: normal; word-break: normal;
    hyphens: auto; }
  /* A phone stacks a decision's matrix (pages/12_Decisions.py): its heading row goes, and each
     number box shows its own label ("Weight of Pay", "Stay on Pay"), hidden on a wide screen
     where the row's headings say it. Stacked, they were rows of bare numbers. */
  @media (max-width: 640px) {
    /* The equity and trend charts on a phone: at least 30rem wide (about 90 % of their size),
       the rest a sideways scroll; shrunk to the screen, their words were 5-6 px high. */
    [class*="st-key-tandem-fixed-chart-"] [data-testid="stVegaLiteChart"] { overflow-x: auto; }
    [class*="st-key-tandem-fixed-chart-"] svg.marks { min-width: 30rem; }
    [class*="st-key-decisions-"][class*="-grid-"][class*="-head"] { display: none; }
    [class*="st-key-decisions-"][class*="-grid-"] [data-testid="stWidgetLabel"] {
      display: flex !important; }
  }
</style>"""


# A required field says so in words after its label (the partner's questions, the counselor's
# forms): a bare "*" was read out as "star".
REQUIRED = " (required)"


def required(label: str) -> str:
    """A required field's label."""
    return label + REQUIRED


def browser_zone() -> str | None:
    """The time zone of the browser on the other end (an IANA name), or None if it sent none."""
    return st.context.timezone


def local_today() -> date:
    """Today where the counselor is (their browser's time zone), not on the server's UTC clock:
    the default date of a new session, what counts as a review that has come, and so on."""
    return dates.today_in(browser_zone())


def on_this_clock(value: Any) -> Any:
    """A stored time (UTC) as the browser's wall clock reads it; a date or None unchanged."""
    return dates.local_or_utc(value, browser_zone())


def when(value: Any, *, clock: bool = False) -> str:
    """A stored time as the person looking at it dates it: 24 Nov 2026 (", 21:50" with
    `clock`). Stored times are UTC: shown as they are, an evening in Chicago or a morning in
    Sydney showed the day before or after."""
    local = on_this_clock(value)
    if clock and isinstance(local, datetime):
        return f"{dates.shown(local)}, {local:%H:%M}"
    return dates.shown(local)


def plain(text: object) -> str:
    """User text made safe for st.markdown: no links, emphasis, HTML or LaTeX from it."""
    return markdown.escape(text, MARKDOWN_SPECIALS)


# A container whose key starts so is a named group to a screen reader: the page script
# (core/frontend.py, part 14) gives it role "group", named by its first bold line.
GROUP = "tandem-group-"


def partner_fields(prefix: str, heading: str, current: dict[str, Any] | None = None) -> dict:
    """The same profile fields for either partner (no partner is primary); returns raw values.

    In a named group: both partners' boxes have the same labels ("Name (required)", "City"), and
    a screen reader could not tell whose was whose (an accessibility audit)."""
    with st.container(key=f"{GROUP}{prefix}"):
        return _partner_fields(prefix, heading, current)


def _partner_fields(prefix: str, heading: str, current: dict[str, Any] | None) -> dict:
    cur = current or {}
    st.markdown(f"**{heading}**")
    k = f"{prefix}."

    def choice(field: str, label: str, options: tuple[str, ...]) -> str:
        opts = ("",) + options
        value = cur.get(field) or ""
        index = opts.index(value) if value in opts else 0
        return st.selectbox(label, opts, index=index, key=k + field, format_func=lambda o: o or "—")

    # No max_chars or bounds on the widgets: the browser drops a longer paste without a word and
    # a number outside the bounds stops the form's Save silently; core names the field and the
    # limit (ValidationError), and what was typed stays to be put right.
    values = {
        "name": st.text_input(required("Name"), cur.get("name", ""), key=k + "name"),
        "pronouns": st.text_input("Pronouns", cur.get("pronouns", ""), key=k + "pronouns"),
        "occupation": st.text_input("Occupation", cur.get("occupation", ""), key=k + "occupation"),
        "industry": choice("industry", "Industry", partners.INDUSTRIES),
        "career_stage": choice("career_stage", "Career stage", partners.CAREER_STAGES),
        "weekly_hours": st.number_input(
            "Weekly work hours",
            value=cur.get("weekly_hours"),
            step=1,
            key=k + "weekly_hours",
        ),
        "city": st.text_input("City", cur.get("city", ""), key=k + "city"),
        "country": st.text_input("Country", cur.get("country", ""), key=k + "country"),
        "languages": st.text_input("Languages", cur.get("languages", ""), key=k + "languages"),
        "email": st.text_input("E-mail (optional)", cur.get("email", ""), key=k + "email"),
        "phone": st.text_input("Phone (optional)", cur.get("phone", ""), key=k + "phone"),
    }
    return values


def date_field(where: Any, label: str, value: Any, key: str, **extra: Any) -> Any:
    """A calendar date in Tandem's format, pickable over the years core accepts (core.dates)."""
    return where.date_input(
        label,
        value,
        min_value=EARLIEST,
        max_value=LATEST,
        format="DD/MM/YYYY",
        key=key,
        **extra,
    )


def show_validation(error: ValidationError, labels: dict[str, str] | None = None) -> None:
    """One calm line per bad field, prefixed with whose field it is where that helps.

    Core's messages may quote what was typed or stored (a couple's name, a season's title), so
    they are shown as plain text: "Type the couple's name exactly as shown" showed a name with
    `**` in bold, not as it must be typed (a review)."""
    labels = labels or {}
    for field, message in error.fields.items():
        who = labels.get(field.split(".")[0])
        st.error(f"{plain(who)}: {plain(message)}" if who else plain(message))


@contextmanager
def calm(labels: dict[str, str] | None = None, *, form: str | None = None):
    """Show a TandemError as a message instead of letting it reach the user as a traceback.

    With `form`, a save refused because the record changed elsewhere (Conflict) lets
    `offer_newer` show the way to the newer version under that form.
    """
    try:
        yield
    except TandemError as e:
        # An earlier save's confirmation, drawn at the top of this run, does not stand over
        # this refusal ("Account rio created" over "That username is taken": a walkthrough).
        slot = st.session_state.get(state.NOTICE_SLOT)
        if slot is not None:
            slot.empty()
        if isinstance(e, ValidationError):
            show_validation(e, labels)
        elif isinstance(e, NotFound):
            st.warning(plain(e))
        elif isinstance(e, Conflict):
            st.error(plain(e))
            if form is not None:
                st.session_state[f"tandem.overtaken.{form}"] = True
        else:
            st.error(plain(e))


def offer_newer(once, form: str) -> None:
    """Under an edit form whose save was refused because another tab or device saved first:
    a button that drops what was typed in it and draws it afresh from the stored version
    (`once`, the form's ui.once.Once, renews its keys)."""
    flag = f"tandem.overtaken.{form}"
    if not st.session_state.get(flag):
        return
    if st.button(
        "Show the newer version",
        key=f"{form}.newer",
        icon=":material/refresh:",
        help="Drops what you typed in this form and shows the version saved elsewhere.",
    ):
        st.session_state.pop(flag, None)
        once.renew()
        st.rerun()


class RefusedDownloads(logging.Filter):
    """A download made when clicked (st.download_button with a callable) that core refuses
    (the couple was moved to another counselor meanwhile, say) is logged by Streamlit as an
    error with a traceback. It is a refusal, not a fault: one line says so instead. The page
    itself shows the refusal, since its download buttons rerun it (DOWNLOAD_RERUNS)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        while error is not None and not isinstance(error, TandemError):
            error = error.__cause__
        if error is not None:
            record.msg, record.args = "A download was refused: %s", (str(error),)
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


_DOWNLOADS_LOG = logging.getLogger("streamlit.runtime.backend_operation_handler")
if not any(isinstance(f, RefusedDownloads) for f in _DOWNLOADS_LOG.filters):
    _DOWNLOADS_LOG.addFilter(RefusedDownloads())
# A click on a client-data download reruns the page, which checks access again: a couple moved
# away meanwhile shows "not available" rather than a button that silently does nothing.
DOWNLOAD_RERUNS = "rerun"


def drawn_from(first_widget: str, version: Any) -> Any:
    """The version of a record (its `updated_at`, or version number) that an edit form's
    widgets were drawn from, for core to refuse a save over a newer one (errors.Conflict).

    A form drawn afresh (its first widget `first_widget` has no state yet) starts from
    `version`; while its widgets live on, the version they started from is kept, even if the
    record changes meanwhile (a save in another tab). After a save, dropping `drawn_key` lets the
    next run start from the saved version.
    """
    kept = drawn_key(first_widget)
    if first_widget not in st.session_state or kept not in st.session_state:
        st.session_state[kept] = version
    return st.session_state[kept]


def drawn_key(first_widget: str) -> str:
    """Where `drawn_from` keeps the version a form was drawn from (in st.session_state)."""
    return f"tandem.drawn_from.{first_widget}"


def open_couple(app, actor) -> dict[str, Any]:
    """The couple chosen on the caseload (from session state), checked by core; else a dead end.

    The sign-in notes it on the server too (never in the URL), so that reloading the page opens
    the same couple again (ui.auth restores it when a remembered device resumes).
    """
    from core import couples
    from ui import state

    ref = st.session_state.get(state.COUPLE_ID)
    if ref is None:
        # The page's own name as its heading: this screen had no h1 (an accessibility audit).
        st.title(st.session_state.get(state.PAGE) or "Choose a couple", anchor=False)
        st.info("Choose a couple from your caseload to open it here.")
        st.page_link("app.py", label="Go to the caseload", icon=":material/list:")
        st.stop()
    try:
        couple = couples.get(app.db, actor, ref)
        if st.session_state.get(state.COUPLE_NOTED) != couple["id"]:
            couples.remember_open(app.db, actor, couple["id"])
            st.session_state[state.COUPLE_NOTED] = couple["id"]
    except NotFound:
        st.session_state.pop(state.COUPLE_ID, None)
        not_available()
    return couple


ARCHIVED_LINKS = (
    "This couple is archived: their partner links do not open, whatever they show below, and "
    "no new ones can be sent until you restore the couple (Overview, Archive or delete)."
)


def archived_links_note(couple: dict[str, Any]) -> None:
    """Under the title of a page that lists or sends partner links: an archived couple's links
    do not open (core.couples.ARCHIVED_NO_LINKS), though their rows still say sent or opened."""
    if couple.get("status") == "archived":
        st.warning(ARCHIVED_LINKS)


def choose(
    label: str, labels: Mapping[Any, str], key: str, value: Any = None, *, where=None, **kwargs
):
    """A select box over `labels` (each value offered and the words shown for it), at `value`
    when that is offered, else at the first. A choice the session kept that is no longer offered
    (a record removed meanwhile, or a tampered value) is dropped first, so the box starts over
    instead of failing. `where` is a column or container (the page by default); `kwargs` go to
    the select box (help, width, …)."""
    options = list(labels)
    _drop_unoffered(key, options)
    index = options.index(value) if value in options else 0
    return (where or st).selectbox(
        label, options, index=index, format_func=labels.get, key=key, **kwargs
    )


def _drop_unoffered(key: str, options: list) -> None:
    """Forget the choice the session kept under `key` if `options` no longer offer it (a record
    removed meanwhile, or a tampered value), so the box starts over instead of failing."""
    if key in st.session_state:
        kept = st.session_state[key]
        # True == 1 in Python: a stale or tampered True must not pass for record 1.
        if isinstance(kept, bool) or kept not in options:
            del st.session_state[key]


def record_picker(label: str, ids: list, key: str, new: str, format_func) -> Any:
    """Choose one of a couple's records or `new`. A save selects its record for the next run
    with `ui.once.Pick(key)` in what its `then` returns (see `picker_key`)."""
    choices = [*ids, new]
    widget = picker_key(key)
    _drop_unoffered(widget, choices)
    st.session_state.setdefault(widget, choices[0])
    # The browser's box keeps showing the words it was given for its choice: after a save that
    # changed them ("(Draft)" to "(Active)") it showed the old ones until the page was left.
    # New words for the same choice draw the picker afresh, on that choice.
    chosen = st.session_state[widget]
    shown = (chosen, format_func(chosen))
    before = st.session_state.get(f"{key}.shown")
    if before is not None and before[0] == chosen and before != shown:
        make(Pick(key), chosen)
        widget = picker_key(key)
    st.session_state[f"{key}.shown"] = shown
    return st.selectbox(label, choices, format_func=format_func, key=widget)


def picker_key(key: str) -> str:
    """The widget key of a picker whose choice a save sets with `ui.once.Pick(key)`: `key` at
    first, renewed (`key.1`, `key.2`, …) each time a save sets it, and starting on the record
    the save chose.

    A widget's value cannot be set once it is drawn, and a double-click's second half reaches
    the server after the first click's save and rerun with the browser's choice from before
    (for a record just made: "new"). Under the old key it would win; under the renewed key it
    is not read. The count and the choice live in the session's holder (ui/once.py), changed
    in place: set in st.session_state, the second run's start could lose them. The widget's
    starting value is set on every run that finds it missing, so a lost write is made again.
    """
    generation, chosen = picked(key)
    if generation == 0:
        return key
    widget = f"{key}.{generation}"
    if widget not in st.session_state:
        st.session_state[widget] = chosen
    return widget


def lazy_tabs(labels: list[str], key: str) -> list:
    """Tabs of which only the open one runs and is sent (`if tab.open:` around its body).

    A plain st.tabs draws every tab on every run: the Sessions page sent four tabs' elements
    and the Questionnaires page built its answers table on every click (BENCHMARKS.md).
    Opening another tab is then a short run on the server instead of an instant switch.
    """
    # The page script (core/frontend.py) asks before a tab change drops a form's unsaved
    # text: it knows lazy tabs by this ending of their key.
    assert key.endswith(".tab"), key
    return st.tabs(labels, key=key, on_change="rerun")


def lazy_expander(label: str, key: str):
    """An expander whose body runs and is sent only while it is open (`if box.open:` around its
    body). A plain st.expander sends its body closed: the Decisions page's Options tab sent
    every option's form, ~20 elements each, to show their names. Opening one is then a short
    run on the server; closing one with unsaved text in its form asks first (core/frontend.py
    knows these expanders by the ending of their key)."""
    assert key.endswith(".fold"), key
    return st.expander(label, key=key, on_change="rerun")


def not_available(message: str = "That couple is not available to you.") -> None:
    """The calm dead end for a bad or foreign id, with the way back."""
    st.warning(message)
    st.page_link("app.py", label="Back to the caseload", icon=":material/list:")
    st.stop()


def what_stands_out(app, actor, couple: dict[str, Any]) -> None:
    """The couple's alerts (core.alerts) in one box: red when a safety answer is among them.

    An archived couple shows only a safety alert (core.alerts.as_shown). Drawn as one element.
    """
    found = alerts.summaries(
        app.db, actor, whole_practice=actor.is_admin, couple_id=couple["id"], zone=browser_zone()
    )
    summary = found.get(couple["id"])
    shown = alerts.as_shown(summary, couple.get("status")) if summary else None
    if not shown or not shown.alerts:
        return
    lines = "\n".join(
        # Some reasons already start with their title ("Check-in overdue: Amara …").
        f"- {plain(a.reason)}"
        if a.reason.casefold().startswith(a.title.casefold())
        else f"- **{plain(a.title)}:** {plain(a.reason)}"
        for a in shown.alerts
    )
    box = st.error if shown.severity >= alerts.SEVERITY[alerts.SAFETY] else st.warning
    box(f"**What stands out ({len(shown.alerts)})**\n\n{lines}", icon=":material/flag:")


def confirm_delete(
    key: str,
    chosen: Any,
    asked: bool,
    question: str,
    yes: str = "Yes, delete",
    no: str = "Keep it",
    icon: str = ":material/delete:",
) -> bool:
    """A deletion (or another step that cannot be undone) that asks first. `asked` (its button,
    this run) notes the request for the record `chosen`; while it stands, `question` is drawn
    with `yes` and `no`. True on the run `yes` starts. Choosing another record forgets it."""
    if asked:
        st.session_state[key] = chosen
    if chosen is None or st.session_state.get(key) != chosen:
        st.session_state.pop(key, None)
        return False
    with st.container(border=True):
        st.warning(question, icon=icon)
        # A row that wraps, each button as wide as its words: in columns, a tablet cut them to
        # "Yes, de…" and "Keep it…", and only the colour told the two apart.
        buttons = st.container(horizontal=True, wrap=True)
        if buttons.button(yes, type="primary", key=f"{key}.yes"):
            st.session_state.pop(key, None)
            return True
        if buttons.button(no, key=f"{key}.no"):
            st.session_state.pop(key, None)
            st.rerun()
    return False


@dataclass(frozen=True)
class Screen:
    """One screen of a long list: its rows, which screen it is (from 1) of how many, and the
    index of its first row in the whole list."""

    rows: Sequence[Any]
    number: int
    count: int
    first: int


def screen_of(rows: Sequence[Any], size: int, key: str) -> Screen:
    """The screen of `rows` that st.session_state[key] names (the first at first; the last if
    the list got shorter)."""
    count = max(1, math.ceil(len(rows) / size))
    number = min(st.session_state.get(key, 1), count)
    first = (number - 1) * size
    return Screen(rows[first : first + size], number, count, first)


def screen_buttons(
    screen: Screen, key: str, labels: tuple[str, str], keys: tuple[str, str], caption: str
) -> None:
    """Buttons to the screen before and after (`labels`, widget `keys`), `caption` between;
    nothing when there is one screen."""
    if screen.count <= 1:
        return
    # One row, the buttons at its ends, on a phone too (in columns a phone stacked the three).
    nav = st.container(
        horizontal=True, horizontal_alignment="distribute", vertical_alignment="center"
    )
    if nav.button(labels[0], disabled=screen.number <= 1, key=keys[0]):
        st.session_state[key] = screen.number - 1
        st.rerun()
    nav.caption(caption, width="content")
    if nav.button(labels[1], disabled=screen.number >= screen.count, key=keys[1]):
        st.session_state[key] = screen.number + 1
        st.rerun()
