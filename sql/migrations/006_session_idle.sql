-- Idle sign-out: each sign-in remembers when it was last used; one unused for longer than the
-- idle limit (TANDEM_IDLE_MINUTES) ends, and its remember-me cookie with it.
ALTER TABLE auth_sessions ADD COLUMN last_seen_at TIMESTAMP;
