-- Forget an erased couple as the one any sign-in had open (the sign-ins themselves stay).
UPDATE auth_sessions SET open_couple_id = NULL WHERE open_couple_id = $couple_id
