-- Record a wrong password typed in a hand-over's "take the device back" box, and any pause.
UPDATE handovers
SET end_failures = $failures, end_failed_at = $now, end_paused_until = $paused_until
WHERE auth_session_id = $auth_session_id
