-- Mark a sign-in as used now (idle sign-out counts from here).
UPDATE auth_sessions SET last_seen_at = $now WHERE id = $session_id AND revoked_at IS NULL
