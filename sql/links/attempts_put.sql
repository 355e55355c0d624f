-- Record bad-token attempts for one client.
INSERT INTO link_attempts (client_key, failures, window_start)
VALUES ($client_key, $failures, $window_start)
ON CONFLICT (client_key) DO UPDATE
SET failures = excluded.failures, window_start = excluded.window_start
