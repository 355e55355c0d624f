"""The one script Tandem adds to Streamlit's page (index.html), before Streamlit's own.

It does three things for speed (issue 6), two so that nothing typed is lost, two for the
partner's form (6 and 7, below `_TOP_OF_PART` and `_SCALE_ENDS`), one for the caseload's
links (8, `_IN_APP_LINKS`), one for the sidebar on a phone (9, `_CLOSE_SIDEBAR`), one for the
phone's Back on the form (10, `_BACK_TO_PART`) and four for screen readers and the keyboard (11
to 14: `_ANNOUNCE_TOASTS`, `_KEEP_FOCUS`, `_FIRST_UNANSWERED`, `_NAMED_GROUPS`):

1. It tells the front end where the server is (`window.__streamlit.BACKEND_BASE_URL`). Without
   it the front end guesses from the address: on any page below the root (a partner's
   `/Questionnaire?t=…`, a reloaded `/Couple`) it first asks `/Questionnaire/_stcore/health`,
   waits for that to fail, then tries the root: ~150–180 ms of every such load.
2. Once the first screen is drawn and the browser is idle, it loads the code of the elements
   the next screens draw. Streamlit loads each kind of element's code the first time a tab
   shows one: a partner's *Start* fetched and compiled 11–27 files (~100–200 ms on a phone-sized
   budget) and the first chart page ~17. Loaded while the partner reads the welcome screen or the
   counselor looks at the caseload, those screens come up without waiting for it. A file that
   fails to load is simply loaded again, as before, when its element is drawn.

3. It asks the browser right away to fetch the code of the first screen's elements
   (`<link rel="modulepreload">`) alongside Streamlit's own: on a partner's link the welcome
   screen's (the phone styles and Start), on the app's root the caseload's and the sidebar's
   (links, search box, Show, Sort by, the table, buttons; the sign-in form's are among them).
   Streamlit asks for them only once its first run has arrived, one round trip after
   another: the costliest wait on a phone's network, and ~40–130 ms of the caseload's full load
   here (BENCHMARKS.md). A couple's page loaded afresh (a reload, a new tab) does not: there the
   fetching held up Streamlit's own code about as much as it saved. Nor did the caseload
   while it was Streamlit's data grid (~60 files): fetching and compiling them alongside
   Streamlit's own code held up the caseload's heading ~100 ms and brought the table only
   25–80 ms sooner.

4. When the page is hidden (another app, a locked phone, another tab) or closed, it takes the
   focus from a text box that has it. Streamlit's text box sends its text to the server only
   when it loses focus (st.text_area has no `live`), and none of those take the focus away: a
   partner's long answer typed and then left was lost. It now goes as a tap outside would
   send it. Password boxes are left alone (a hand-over's counselor password).
5. A form (st.form) sends its text only when its button is pressed. Once something is typed
   into a form and its button not pressed since, a link inside the app asks first (LEAVE_ASK)
   and the browser asks before a reload or a closed tab (in its own words). Before, a
   counselor who opened the equity chart halfway through a session's notes lost the notes.
   Choosing another entry of a page's record picker asks too, by mouse, touch or keyboard.

The script is the same text for every page and visitor (the element files are found once, in
the installed Streamlit), so the Content-Security-Policy allows it by its hash.
core/headers.py puts it into the page; this module never imports streamlit.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path

# Streamlit's element modules (static/js/NAME.HASH.js) worth having before they are drawn.
# The partner's form (ui/fill.py): the progress bar, radios, pills, number, text and long text.
PARTNER_ELEMENTS = ("Progress", "Radio", "ButtonGroup", "NumberInput", "TextInput", "TextArea")
# Counselor pages, beyond what the sign-in page and the caseload load anyway: the charts of
# Equity and trends, notes, numbers, dates and radios of the couple's pages.
COUNSELOR_ELEMENTS = ("ArrowVegaLiteChart", "TextArea", "NumberInput", "DateInput", "Radio")
# A partner's first screen (ui/fill.py's welcome: the phone styles and Start), fetched with
# Streamlit's own code.
PARTNER_FIRST = ("Html", "Button")
# The app root's first screen: the caseload (app.py) and the sidebar (ui/sidebar.py). Not the
# sign-in form's remember-me box and the admin's switch (Checkbox): with them the counselor's
# caseload loaded no sooner, maybe later (1.50x against 1.41x, 11 interleaved samples each).
COUNSELOR_FIRST = ("PageLink", "TextInput", "ButtonGroup", "Selectbox", "Html", "Button")
PARTNER_PAGE = "Questionnaire"  # pages/5_Questionnaire.py, the partner's link page
# The key of the container that holds a partner's form on a counselor's device handed over to
# them (ui/handover.py): parts 6 and 10 work there as on the partner's own page.
HANDOVER_FORM = "tandem-handover-form"
_CHUNK = re.compile(r"^(?P<name>[A-Za-z]+)\.[A-Za-z0-9_-]{6,}\.js$")
# A module's static imports of its sibling files (not `import("./…")`, which loads on use).
_STATIC_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([^"/]+\.js)"')
# What index.html itself has the browser load: its module script and its modulepreload links.
_INDEX_LOADS = re.compile(r'(?:src|href)="\./static/js/([^"/]+\.js)"')
_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
_MAIN = '[data-testid="stMainBlockContainer"]'
LEAVE_ASK = "Something you typed on this page is not saved yet. Leave the page anyway?"
# What ui/fill.py writes under a question Next stopped for (part 13 finds it).
NEEDS_AN_ANSWER = "This question needs an answer."
# Parts 4 and 5 above. A form is marked (data-unsent) when something is typed into one of its
# boxes and unmarked when its submit button is pressed; a form that leaves the page takes its
# mark with it. Sends nothing to the server itself.
_KEEP_TYPED = """
(() => {
  const FORM = '[data-testid="stForm"]';
  const typed = (el) => el && (el.tagName === "TEXTAREA"
    || (el.tagName === "INPUT" && el.type !== "password"));
  const unsent = (within) => (within || document).querySelector(FORM + "[data-unsent]") !== null;
  const send = () => { if (typed(document.activeElement)) document.activeElement.blur(); };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send();
  });
  addEventListener("pagehide", send);
  addEventListener("beforeunload", (e) => {
    send();
    if (unsent()) { e.preventDefault(); e.returnValue = ""; }
  });
  document.addEventListener("input", (e) => {
    const form = e.target.closest && e.target.closest(FORM);
    if (form && typed(e.target)) form.dataset.unsent = "1";
  }, true);
  // A marked form that is sent is unmarked; if the page then shows a new error (a refused
  // save: a field's problem, another tab's newer version) and the form is still there, it is
  // marked again: what was typed is still not saved. Only errors count: a saved form's notice
  // ("Saved as version 3…") or a warning it brings ("Review was due…") left the form marked,
  // and leaving the page then asked about text that was saved.
  const alerts = () =>
    document.querySelectorAll(__MAIN__ + ' [data-testid="stAlertContentError"]').length;
  const sent = (form) => {
    if (!form || !form.dataset.unsent) return;
    delete form.dataset.unsent;
    const before = alerts();
    let waited = 0, quiet = 0;
    const check = () => {
      waited += 100;
      quiet = document.querySelector(__IDLE__) ? quiet + 100 : 0;
      if (quiet >= 400 && waited >= 500) {
        if (form.isConnected && alerts() > before) form.dataset.unsent = "1";
      } else if (waited < 30000) setTimeout(check, 100);
    };
    setTimeout(check, 100);
  };
  // Enter in a form's one-line box (Ctrl or Cmd+Enter in a long one) sends it like its button;
  // not in an open drop-down list, where Enter chooses an entry.
  const OPEN_LIST = '[role="combobox"][aria-expanded="true"]';
  const listOpen = (el) => el.closest && el.closest(OPEN_LIST);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.closest || listOpen(e.target)) return;
    if (e.target.tagName === "INPUT" || e.ctrlKey || e.metaKey) sent(e.target.closest(FORM));
  }, true);
  // Lazy tabs (ui.widgets.lazy_tabs, keys ending ".tab") draw only the open tab: leaving a tab
  // drops its forms as a link does. Plain st.tabs keep every tab, so they do not ask.
  const lazy = (el, ending) => {
    for (; el; el = el.parentElement)
      if ([...el.classList].some((c) => c.startsWith("st-key-") && c.endsWith(ending))) return el;
    return null;
  };
  const lazyTabs = (el) => lazy(el, "-tab");
  // Lazy expanders (ui.widgets.lazy_expander, keys ending ".fold") draw their body only while
  // open: closing one drops its form the same way. The keyboard's Enter or Space on the
  // heading comes as a click too.
  document.addEventListener("click", (e) => {
    const heading = e.target.closest && e.target.closest("summary");
    const fold = heading && lazy(heading, "-fold");
    if (!fold || !heading.parentElement.open || !unsent(fold)) return;
    if (!confirm(__LEAVE_ASK__)) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  // A tab opens on the press, before the click: one answer per press, kept for its click.
  let verdict = null;
  const tabGuard = (e) => {
    const tab = e.target.closest && e.target.closest('[role="tab"]');
    if (!tab) return;
    if (e.type === "pointerdown" || !verdict || verdict.tab !== tab) {
      const group = lazyTabs(tab);
      const ask = group && tab.getAttribute("aria-selected") !== "true" && unsent(group);
      verdict = { tab, leave: !ask || confirm(__LEAVE_ASK__) };
    }
    if (!verdict.leave) { e.preventDefault(); e.stopPropagation(); }
    if (e.type === "click") verdict = null;
  };
  for (const type of ["pointerdown", "mousedown", "click"])
    document.addEventListener(type, tabGuard, true);
  // A record picker (a selectbox outside any form: the session, agreement or season shown)
  // draws another record's forms in place of these: choosing another entry asks as a link does.
  // A season typed and refused for an overlap was lost to the pick that fixes the overlap.
  // Once the counselor agrees, the marks go: the page may draw the other record's form into the
  // same element, which kept the mark and asked again about text nobody had typed.
  // Choosing `option` of the open list `box` drops typed text: another entry of a picker
  // outside any form, while some form holds unsent text.
  const dropsTyped = (box, option) => box && option && !box.closest(FORM)
    && option.getAttribute("aria-selected") !== "true" && unsent();
  const pickAnyway = () => {
    if (!confirm(__LEAVE_ASK__)) return false;
    for (const form of document.querySelectorAll(FORM + "[data-unsent]")) delete form.dataset.unsent;
    return true;
  };
  let picked = null;
  const optionGuard = (e) => {
    const option = e.target.closest && e.target.closest('[role="option"]');
    if (!option) return;
    if (e.type === "pointerdown" || !picked || picked.option !== option) {
      const ask = dropsTyped(document.querySelector(OPEN_LIST), option);
      picked = { option, leave: !ask || pickAnyway() };
      // The question took the press: the browser may then drop the release and the click that
      // chooses the entry (1 pick in 12 did nothing after "OK"). Once agreed, the entry is
      // chosen here if its click has not come.
      if (ask && picked.leave) {
        const agreed = picked;
        setTimeout(() => { if (picked === agreed && option.isConnected) option.click(); }, 300);
      }
    }
    if (!picked.leave) { e.preventDefault(); e.stopPropagation(); }
    if (e.type === "click") picked = null;
  };
  for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"])
    document.addEventListener(type, optionGuard, true);
  // The same for the keyboard: Enter chooses the entry the arrow keys (or typing) moved to, the
  // list's active one. Only a tap or click asked before, and Enter dropped the text unasked.
  document.addEventListener("keydown", (e) => {
    const box = e.key === "Enter" && listOpen(e.target);
    if (!box) return;
    const option = document.getElementById(box.getAttribute("aria-activedescendant") || "");
    if (dropsTyped(box, option) && !pickAnyway()) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  document.addEventListener("click", (e) => {
    if (!e.target.closest || e.target.closest('[role="tab"]')) return;
    const submit = e.target.closest('[data-testid="stFormSubmitButton"]');
    if (submit) { sent(submit.closest(FORM)); return; }
    const link = e.target.closest("a[href]");
    if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
    // Ctrl, Cmd or Shift and a link opens a new tab or window and leaves this page as it is;
    // not Streamlit's page links, which change the page here whatever the keys.
    const elsewhere = e.ctrlKey || e.metaKey || e.shiftKey;
    if (elsewhere && !link.closest('[data-testid="stPageLink"]')) return;
    if (unsent() && !confirm(__LEAVE_ASK__)) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  // The browser's Back and Forward change the page inside the app as a link does (Streamlit
  // runs the page the address names on "popstate"): they ask too. They did not, and a note
  // typed on the Sessions page was gone after Back (walkthrough). The address has moved before
  // anyone can be asked: "Cancel" puts the page's address back as a new entry, and Streamlit
  // never hears of either; "OK" forgets the marks and lets Streamlit change the page.
  let shown = location.href;  // the address of the page on screen
  tandemWatch(() => { shown = location.href; });
  addEventListener("popstate", (e) => {
    // Not part 8's own (not trusted): the click on its link has asked already.
    if (!e.isTrusted || !unsent()) return;
    if (confirm(__LEAVE_ASK__)) {
      for (const form of document.querySelectorAll(FORM + "[data-unsent]")) delete form.dataset.unsent;
      return;
    }
    e.stopImmediatePropagation();
    history.pushState(null, "", shown);
  }, true);
})();
"""

# Whether a partner's form is on screen (a function, asked at the moment): the partner's own page,
# or a counselor's page handed over to a partner in session (ui/handover.py), whose address is
# the counselor page the hand-over began on.
_ON_FORM = (
    "() => location.pathname.replace(/\\/+$/, '').endsWith("
    + json.dumps("/" + PARTNER_PAGE)
    + ") || document.querySelector("
    + json.dumps(f".st-key-{HANDOVER_FORM}")
    + ") !== null"
)

# Part 6: on a partner's form (their page, or a device handed over to them), a tap that brings
# another part (Next, Back, Start) shows it from its top, with the focus on its heading. The page
# kept its scroll: a partner who tapped Next at the bottom of a long part landed at the bottom of
# the next one, past its first questions; and the focus was lost, so a keyboard's next Tab skipped
# most of the part. Sends nothing to the server.
_TOP_OF_PART = """
(() => {
  const onForm = __ON_FORM__;
  const part = () => {
    const bar = document.querySelector('[data-testid="stProgress"]');
    return bar ? bar.textContent : null;
  };
  // Each tap on the form starts a turn; what an older turn left to do later stops. The heading
  // focus an earlier part's turn put back 800 ms on landed on the next part's heading while
  // that part was drawn, and the check below then took it for the partner's own: 1 new part in
  // 4 (Next tapped quickly) stayed scrolled down, its title out of sight.
  let turn = 0;
  const top = (clicked, mine) => {
    // Not once the partner is in a box or on a button of the new part already: the part was
    // noticed up to 100 ms after it was drawn (more on a busy phone), and the focus taken then
    // cut a first answer being typed in two (the text typed so far was sent, the rest lost).
    // A heading has the focus only as this script put it there (Safari leaves it there when a
    // button is tapped, as Safari does not focus buttons).
    const now = document.activeElement;
    const theirs = now && now !== document.body && now.tagName !== "H1";
    if (theirs && now !== clicked && !(clicked && clicked.contains(now))) return;
    for (const el of document.querySelectorAll(
      '[data-testid="stMain"], [data-testid="stAppViewContainer"]')) el.scrollTop = 0;
    window.scrollTo(0, 0);
    // The focus goes to the new part's heading: it fell to the page, and the next Tab skipped
    // to the part's fourth question; a screen reader now reads where the partner is. The part
    // may still be drawing: if the focus falls to the page again soon after, it goes back.
    const heading = () => {
      const h = document.querySelector('[data-testid="stMain"] h1');  // the part's title
      if (h) { h.tabIndex = -1; h.focus({ preventScroll: true }); }
    };
    heading();
    for (const ms of [300, 800]) setTimeout(() => {
      const now = document.activeElement;
      if (mine === turn && (!now || now === document.body)) heading();
    }, ms);
  };
  document.addEventListener("click", (e) => {
    const clicked = e.target.closest && e.target.closest("button");
    if (!clicked || !onForm()) return;
    const mine = ++turn;
    const before = part();
    let waited = 0;
    const check = () => {
      if (mine !== turn) return;  // a newer tap took over
      waited += 100;
      const now = part();
      if (now !== null && now !== before) top(clicked, mine);
      else if (waited < 10000) setTimeout(check, 100);
    };
    setTimeout(check, 100);
  }, true);
})();
"""

# Part 7: each of a question's number buttons (0-10) is described by the line under them that
# says what the ends mean ("0 = Drained · 10 = Energised", in the buttons' container: ui/fill.py).
# A screen reader read a bare "7". Streamlit gives the buttons no such attribute, and draws them
# again after a tap, so each drawing is described again. Sends nothing to the server.
_SCALE_ENDS = """
(() => {
  const describe = () => {
    for (const grid of document.querySelectorAll('[class*="-numbers"]')) {
      const ends = grid.querySelector('[data-testid="stCaptionContainer"]');
      const key = [...grid.classList].find((c) => c.startsWith("st-key-"));
      if (!ends || !key) continue;
      ends.id = "ends-" + key;
      for (const button of grid.querySelectorAll('[role="radiogroup"] [role="radio"]'))
        if (button.getAttribute("aria-describedby") !== ends.id)
          button.setAttribute("aria-describedby", ends.id);
    }
  };
  tandemWatch(describe);
})();
"""


# Part 8: a link marked data-in-app (the sidebar's pages, ui/sidebar.py; the caseload's couples,
# ui/caseload.py) changes page inside the app, as Streamlit's page links do: the address
# changes and Streamlit is told as it is by the browser's Back button (its own "popstate"
# handler runs the page the address names, with the address's query). A plain link would load
# the whole app again, in a new session. A click with a modifier key or another button is left
# to the browser (a new tab or window); a click part 5 refused (something typed and not left) is
# left alone. Sends nothing to the server itself. The link had the focus and goes with the
# page: the focus fell to the page, and the next Tab started again at the sidebar's first link. Once the new page is drawn its heading (h1) takes
# the focus, so that a screen reader says where the counselor is and Tab goes on into the page.
_IN_APP_LINKS = """
(() => {
  const HEADING = '[data-testid="stMain"] h1';
  const heading = () => document.querySelector(HEADING);
  let latest = 0;  // a newer click or another page change ends an older wait
  const focusHeading = (before, href) => {
    const mine = ++latest;
    let waited = 0;
    const check = () => {
      waited += 100;
      if (mine !== latest || location.href !== href) return;
      const h = heading();
      if (h && h.textContent !== before && document.querySelector(__IDLE__)) {
        const now = document.activeElement;
        if (!now || now === document.body) { h.tabIndex = -1; h.focus({ preventScroll: true }); }
      } else if (waited < 10000) setTimeout(check, 100);
    };
    setTimeout(check, 100);
  };
  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey)
      return;
    const link = e.target.closest && e.target.closest("a[data-in-app][href]");
    if (!link) return;
    const to = new URL(link.href, location.href);
    if (to.origin !== location.origin) return;
    e.preventDefault();
    const before = heading() ? heading().textContent : null;
    history.pushState(null, "", to.href);
    dispatchEvent(new PopStateEvent("popstate", { state: null }));
    focusHeading(before, location.href);
  });
})();
"""

# Part 9: on a phone the sidebar lies over the page (300 px of a 390 px screen). Streamlit's own
# page list closes it after a tap; page links (Tandem's sidebar: ui/sidebar.py) left it open
# over the new page, to be closed by hand every time (walkthrough). A tap on one of them that
# changes the page here (part 8) now closes it, when it covers more than half the screen. A tap
# part 5 held back (something typed, "Cancel") leaves it open: part 5 stops the click before it
# reaches this. Sends nothing to the server itself.
_CLOSE_SIDEBAR = """
document.addEventListener("click", (e) => {
  const link = e.target.closest && e.target.closest('[data-testid="stSidebar"] a[data-in-app]');
  // (a tap part 5 held back was stopped before it came here; one part 8 left to the browser,
  // for a new tab, was not prevented)
  if (!link || !e.defaultPrevented) return;
  const bar = document.querySelector('[data-testid="stSidebar"]');
  if (!bar || bar.getBoundingClientRect().width <= innerWidth / 2) return;
  setTimeout(() => {
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close && close.getAttribute("aria-expanded") === "true") close.click();
  }, 0);
});
"""


# Part 10: on a partner's form (their page, or a device handed over to them), the phone's or
# tablet's Back (the button, the gesture) goes to the previous part, as the form's own Back does.
# Every part was one address, so Back left the form for the page before it (the mail or message
# that held the link) after a single press, with the partner mid-way (walkthrough); in a hand-over
# it went to the counselor's page before, which showed the same part again. Now each part after
# the first is an entry in the tab's history (the same address): Back to an earlier entry taps the
# form's Back, with the text box left first so that what was typed in it is saved as the form's
# Back saves it. The history follows the screen: the form's own Back, a "please answer these
# first" that shows an earlier part, or the page after sending, takes the extra entries off again,
# so that Back leaves the form after the last page in as many presses as it took to come in. On
# the first part, on the welcome screen and after sending, Back leaves the page as before. Runs
# before Streamlit's own handler of the history (which would run the page again for the same
# address) and keeps it from seeing these entries. Sends nothing to the server itself.
_BACK_TO_PART = """
(() => {
  const onForm = __ON_FORM__;
  const shownPart = () => {  // the part on screen (1, 2, ...), 0 for none
    const bar = onForm() && document.querySelector('[data-testid="stProgress"]');
    const m = bar && /Part (\\d+) of \\d+\\s*$/.exec(bar.textContent);
    return m ? Number(m[1]) : 0;
  };
  const backButton = () => {  // the form's Back (ui/fill.py: its key ends in ".back")
    for (const el of document.querySelectorAll('[data-testid="stMain"] [class*="st-key-"]'))
      for (const c of el.classList)
        if (c.startsWith("st-key-") && c.endsWith("-back")) return el.querySelector("button");
    return null;
  };
  const idle = () => document.querySelector(__IDLE__) !== null;
  const ours = (state) => (state && Number.isInteger(state.tandemPart) ? state.tandemPart : 0);
  let depth = ours(history.state);  // this entry's place among the form's entries (0: the first)
  // Back presses not yet shown, each a part before the one on screen once the form is idle
  // (a press during a tap's run counts from where that tap leads), and the form's Back this
  // script tapped: on which part, when.
  let steps = 0, clicked = 0, clickedAt = 0;
  let ignore = 0;  // history moves this script made itself, whose "popstate" is not the partner's
  const sync = () => {
    const part = shownPart();
    if (clicked && part !== clicked) { steps = Math.max(0, steps - 1); clicked = 0; }
    if (steps > 0 && part > 1) {
      if (!idle()) return;  // a run is on its way: count from the part it brings
      const back = backButton();
      if (clicked && Date.now() - clickedAt < 5000) return;  // the tap's run has not come yet
      if (back && !clicked) {
        clicked = part;
        clickedAt = Date.now();
        const typing = document.activeElement;
        if (typing && /^(TEXTAREA|INPUT)$/.test(typing.tagName)) typing.blur();
        back.click();
        return;
      }
    }
    steps = 0;  // done, or nothing to go back to: the history follows the screen again
    clicked = 0;
    const target = part ? part - 1 : 0;
    if (target > depth) {
      for (let d = depth + 1; d <= target; d++) history.pushState({ tandemPart: d }, "", location.href);
    } else if (target < depth) {
      ignore++;
      history.go(target - depth);
    }
    depth = target;
  };
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; sync(); });
  };
  addEventListener("popstate", (e) => {
    if (ignore > 0) { ignore--; e.stopImmediatePropagation(); return; }
    const to = ours(e.state);
    if (to === depth) return;  // not one of the form's entries: Streamlit's to handle
    e.stopImmediatePropagation();
    // Back: one more part back; Forward: the history goes back to where the screen is.
    if (to < depth && shownPart()) steps += depth - to;
    depth = to;
    later();
    setTimeout(later, 5100);  // (a tap whose run never came: give up and follow the screen)
  }, true);
  new MutationObserver(later).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-test-script-state"],
  });
})();
"""


# Part 11: a save's confirmation is a toast (st.toast), which Streamlit draws as a dialog that is
# no live region and takes no focus: a screen reader said nothing of "Notes saved." (an
# accessibility audit). Each new toast's words are put into a polite status region as well,
# hidden from sight, which screen readers read out. Sends nothing to the server itself.
_ANNOUNCE_TOASTS = """
(() => {
  let region = null;
  const said = new WeakSet();
  const make = () => {
    if (region || !document.body) return region;
    region = document.createElement("div");
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.className = "tandem-announce";
    region.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
      "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;";
    document.body.appendChild(region);
    return region;
  };
  addEventListener("DOMContentLoaded", make);
  new MutationObserver(() => {
    for (const toast of document.querySelectorAll('[data-testid="stToast"]')) {
      const text = toast.innerText.trim();
      if (said.has(toast) || !text || !make()) continue;
      said.add(toast);
      region.textContent = "";
      setTimeout(() => { region.textContent = text; }, 100);  // a change, even for the same words
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
"""

# Part 12: a form sent with Enter or its button is drawn afresh (its keys renewed: ui/once.py),
# and a tab chosen by the keyboard may have its tab bar drawn afresh by the run it starts,
# and the focus, on an element now gone, fell to the page: the next Tab started again at the
# skip link and the sidebar (an accessibility audit: adding a decision's option, starting a
# record; choosing a tab with the arrow keys). Once the page is idle again with the focus on the
# page itself, it goes to the tab of the same name, or to the first box of the form drawn in the
# same place, ready for the next one, or else to the page's heading. Only after a focus was lost
# from a form or a tab. Sends nothing to the server itself.
_KEEP_FOCUS = """
(() => {
  const FORMS = '[data-testid="stMain"] [data-testid="stForm"]';
  const TABS = '[data-testid="stMain"] [role="tab"]';
  // What had the focus, its form's place among the page's forms, or the words of its tab (a
  // tab chosen by the keyboard: the page's run may draw the tab bar afresh, and the focus fell
  // to the page in 2 of 5 tries, an accessibility audit found).
  let last = null, form = -1, tab = null;
  document.addEventListener("focusin", (e) => {
    last = e.target;
    const f = last.closest && last.closest(FORMS);
    form = f ? [...document.querySelectorAll(FORMS)].indexOf(f) : -1;
    tab = last.getAttribute && last.getAttribute("role") === "tab" ? last.textContent : null;
  }, true);
  const settle = () => {
    if (!last || last.isConnected || (form < 0 && tab === null)) return;  // (no focusout fires)
    const now = document.activeElement;
    if ((now && now !== document.body) || !document.querySelector(__IDLE__)) return;
    if (tab !== null) {
      const same = [...document.querySelectorAll(TABS)].find((t) => t.textContent === tab);
      last = null;
      if (same) same.focus({ preventScroll: true });
      return;
    }
    const drawn = document.querySelectorAll(FORMS)[form];
    const box = drawn && drawn.querySelector(
      'input:not([type="hidden"]):not([disabled]), textarea:not([disabled])');
    const h = document.querySelector('[data-testid="stMain"] h1');
    last = null;
    if (box) box.focus({ preventScroll: true });
    else if (h) { h.tabIndex = -1; h.focus({ preventScroll: true }); }
  };
  tandemWatch(settle, 150, true);
})();
"""


# Part 13: on a partner's form, a Next or Send that stopped for unanswered questions marks each
# with "This question needs an answer." (ui/fill.py) and says so above the buttons. On a phone
# both were out of sight (the summary then below Next, the first question above), the focus stayed
# on Next, and nothing tied a mark to its question (an accessibility audit). Once such marks
# appear, the first question is brought into view with the focus on its first answer, and each
# marked question's answers are flagged invalid and described by their mark. Sends nothing.
_FIRST_UNANSWERED = """
(() => {
  const onForm = __ON_FORM__;
  const seen = new WeakSet();
  let n = 0;
  const mark = () => {
    if (!onForm() || !document.querySelector(__IDLE__)) return;
    // A question answered since: its mark is gone, and so is the flag.
    for (const input of document.querySelectorAll('[aria-describedby^="tandem-needs-"]')) {
      if (document.getElementById(input.getAttribute("aria-describedby"))) continue;
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
    const fresh = [...document.querySelectorAll('[data-testid="stMain"] [role="alert"]')]
      .filter((a) => a.textContent.trim().endsWith(__NEEDS__) && !seen.has(a));  // (after its icon)
    let first = null;
    for (const alert of fresh) {
      seen.add(alert);
      if (!alert.id) alert.id = "tandem-needs-" + ++n;
      // The question is the element drawn before the mark (a help line may come between).
      let block = alert.closest('[data-testid="stElementContainer"]');
      let inputs = [];
      while (block && !inputs.length) {
        block = block.previousElementSibling;
        inputs = block ? [...block.querySelectorAll("input, textarea, button")] : [];
      }
      for (const input of inputs) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", alert.id);
      }
      if (!first && inputs.length) first = { block, input: inputs[0] };
    }
    if (first) {
      first.block.scrollIntoView({ block: "center" });
      first.input.focus({ preventScroll: true });
    }
  };
  tandemWatch(mark, 120, true);
})();
"""


# Part 14: a container keyed "tandem-group-…" (ui/widgets.py's GROUP: each partner's profile
# fields) is a group to a screen reader, named by its first bold line ("First partner",
# "Rachel"): both partners' boxes have the same labels, and nothing said whose was whose (an
# accessibility audit). Sends nothing to the server itself.
_NAMED_GROUPS = """
(() => {
  const name = () => {
    for (const box of document.querySelectorAll('[class*="st-key-tandem-group-"]')) {
      const title = box.querySelector("strong");
      const said = title ? title.textContent.trim() : "";
      if (box.getAttribute("role") === "group" && box.getAttribute("aria-label") === said) continue;
      box.setAttribute("role", "group");
      if (said) box.setAttribute("aria-label", said);
    }
  };
  tandemWatch(name, 150);
})();
"""


# Shared by the parts that follow the page's changes (5, 7, 12, 13, 14): `then` runs once for
# a burst of changes, `ms` milliseconds after its first (at the next frame with none); with
# `state`, a script run's start and end count as a change too (the app's
# data-test-script-state). Each part had these lines of its own.
_WATCH = """
const tandemWatch = (then, ms = 0, state = false) => {
  let queued = false;
  const run = () => { queued = false; then(); };
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    if (ms) setTimeout(run, ms); else requestAnimationFrame(run);
  }).observe(document.documentElement, state ? {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-test-script-state"],
  } : { childList: true, subtree: true });
};
"""


# Whether this server puts the page script into its pages: serve.py says so when it starts.
# Without it (`streamlit run app.py`, as a host that runs app.py itself would) plain links
# marked data-in-app load the whole app again, in a new session, so the sidebar (ui/sidebar.py)
# draws Streamlit's own page links instead, which change page inside the app by themselves.
_served = False


def serve_page_script() -> None:
    """Say that this process's server puts the page script into its pages (serve.py)."""
    global _served
    _served = True


def page_script_served() -> bool:
    """Whether the pages this process serves have the page script (part 8 follows links)."""
    return _served


def _static_folder() -> Path | None:
    """The installed Streamlit's front end (static/), or None without one."""
    spec = importlib.util.find_spec("streamlit")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "static" / "index.html").is_file():
            return Path(folder) / "static"
    return None


@functools.cache
def element_files(names: tuple[str, ...]) -> tuple[str, ...]:
    """The installed Streamlit's file for each element name that has exactly one."""
    static = _static_folder()
    found: dict[str, list[str]] = {}
    for path in (static / "static" / "js").glob("*.js") if static else []:
        match = _CHUNK.match(path.name)
        if match and match["name"] in names:
            found.setdefault(match["name"], []).append(path.name)
    return tuple(found[n][0] for n in names if len(found.get(n, [])) == 1)


@functools.cache
def first_screen_files(names: tuple[str, ...]) -> tuple[str, ...]:
    """The element files of `names` and every file they import, except those index.html already
    has the browser load: all a first screen of those elements waits for."""
    static = _static_folder()
    if static is None:
        return ()
    js = static / "static" / "js"
    loaded = set(_INDEX_LOADS.findall((static / "index.html").read_text(encoding="utf-8")))
    wanted, todo = [], list(element_files(names))
    while todo:
        name = todo.pop(0)
        if name in loaded or name in wanted or not (js / name).is_file():
            continue
        wanted.append(name)
        todo.extend(_STATIC_IMPORT.findall((js / name).read_text(encoding="utf-8")))
    return tuple(wanted)


def url_root(base_path: str) -> str:
    """Streamlit's server.baseUrlPath as '/' or '/a/b/'."""
    return "/" + "".join(f"{p}/" for p in base_path.split("/") if p)


def page_script(base_path: str = "") -> str:
    """The script's text for a server at `base_path` (Streamlit's server.baseUrlPath)."""

    def literal(value) -> str:  # nothing in it can close the <script> element
        return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")

    root = literal(url_root(base_path))
    partner = literal(list(element_files(PARTNER_ELEMENTS)))
    counselor = literal(list(element_files(COUNSELOR_ELEMENTS)))
    first = literal(list(first_screen_files(PARTNER_FIRST)))
    counselor_first = literal(list(first_screen_files(COUNSELOR_FIRST)))
    return (
        f"window.__streamlit={{BACKEND_BASE_URL:location.origin+{root}}};"
        "(()=>{"
        f"const root=location.origin+{root},idle={literal(_IDLE)};"
        f"const partner=location.pathname.replace(/\\/+$/,'').endsWith({literal('/' + PARTNER_PAGE)});"
        f"const files=partner?{partner}:{counselor};"
        "const home=location.origin+location.pathname.replace(/\\/+$/,'')+'/'===root;"
        f"for(const f of (partner?{first}:home?{counselor_first}:[])){{"
        "const l=document.createElement('link');"
        "l.rel='modulepreload';l.crossOrigin='';l.href=root+'static/js/'+f;"
        "document.head.appendChild(l)}"
        "const load=()=>{for(const f of files)import(root+'static/js/'+f).catch(()=>{})};"
        "const later=window.requestIdleCallback||((f)=>setTimeout(f,50));"
        "const wait=(n)=>{const main=document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        "if(document.querySelector(idle)&&main&&main.childElementCount)later(load,{timeout:2000});"
        "else if(n<300)setTimeout(()=>wait(n+1),100)};"
        "addEventListener('load',()=>wait(0));"
        "})();"
        + _WATCH
        + _KEEP_TYPED.replace("__LEAVE_ASK__", literal(LEAVE_ASK))
        .replace("__MAIN__", literal(_MAIN))
        .replace("__IDLE__", literal(_IDLE))
        + _TOP_OF_PART.replace("__ON_FORM__", _ON_FORM)
        + _SCALE_ENDS
        + _IN_APP_LINKS.replace("__IDLE__", literal(_IDLE))
        + _CLOSE_SIDEBAR
        + _BACK_TO_PART.replace("__ON_FORM__", _ON_FORM).replace("__IDLE__", literal(_IDLE))
        + _ANNOUNCE_TOASTS
        + _KEEP_FOCUS.replace("__IDLE__", literal(_IDLE))
        + _FIRST_UNANSWERED.replace("__ON_FORM__", _ON_FORM)
        .replace("__IDLE__", literal(_IDLE))
        .replace("__NEEDS__", literal(NEEDS_AN_ANSWER))
        + _NAMED_GROUPS
    )
