-- Record the failed-sign-in count and any lock for one typed username.
INSERT INTO login_throttle (username, failures, last_failure_at, locked_until)
VALUES ($username, $failures, $now, $locked_until)
ON CONFLICT (username) DO UPDATE
SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
    locked_until = excluded.locked_until
