-- Failed sign-ins are now counted under a SHA-256 of the typed username (core.accounts
-- .throttle_key), not the text: unknown names are counted too, and one may be a password typed
-- into the username box. Rows keyed by the text would never match again, and they hold it.
DELETE FROM login_throttle;
