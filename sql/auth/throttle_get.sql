-- The failed-sign-in record for one typed username, or nothing.
SELECT username, failures, last_failure_at, locked_until
FROM login_throttle
WHERE username = $username
