"""Session-state keys, namespaced so pages and libraries never collide."""

ACTOR = "tandem.actor"  # core.accounts.Actor of this browser session
COUPLE_ID = "tandem.couple_id"  # the couple the counselor opened (never in the URL)
# The couple id last noted on the server for this sign-in (core.couples.remember_open), so that
# a reload opens it again; kept here to write it only when another couple is opened.
COUPLE_NOTED = "tandem.couple_noted"
NOTICE = "tandem.notice"  # names the confirmation the next run shows (kept by ui.once.make)
# This run's place of that confirmation (st.empty), or None: a save refused later in the run
# clears it (ui.widgets.calm), so "Account rio created" does not stand over "That username is
# taken" (an owner's walkthrough).
NOTICE_SLOT = "tandem.notice_slot"
TOAST = "tandem.toast"  # names the toast the next run shows (kept by ui.once.make)
CASELOAD_PAGE = "tandem.caseload_page"
LINKS_PAGE = "tandem.links_page."  # + a couple's id: the screen of its links shown
# The caseload link this session followed last: (sign-in, token, couple id); ui/caseload.py.
FOLLOWED = "tandem.followed"
COOKIE = "tandem.cookie"  # a remember-me cookie write/delete waiting for the browser to confirm
REMEMBER = "tandem.remember"  # whether this sign-in asked to be remembered on this device
PAGE = "tandem.page"  # the title of the counselor page the last run drew (ui.auth.require_login)
# Partner links made on the page open now, under this prefix: forgotten once the page is left,
# so a token is on screen no longer than the page it was made on ("cannot show it again").
ISSUED_PREFIX = "tandem.issued."
COOKIE_DRAWN = "tandem.cookie_drawn"  # the cookie component was drawn in this run already
