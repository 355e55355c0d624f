-- End one sign-in (logout).
UPDATE auth_sessions SET revoked_at = $now WHERE id = $session_id AND revoked_at IS NULL
