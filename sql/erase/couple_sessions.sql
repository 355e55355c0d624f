-- Erase a couple's session notes.
DELETE FROM couple_sessions WHERE couple_id = $couple_id
