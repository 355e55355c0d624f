-- End every sign-in of one counselor (password change, reset, deactivation).
UPDATE auth_sessions SET revoked_at = $now
WHERE counselor_id = $counselor_id AND revoked_at IS NULL
