-- Note the couple a live sign-in has open (core.couples.remember_open checked the owner first).
UPDATE auth_sessions SET open_couple_id = $open_couple_id
WHERE id = $session_id AND counselor_id = $counselor_id AND revoked_at IS NULL
