-- Erase which partner links belong to a couple's sessions.
DELETE FROM session_links WHERE couple_id = $couple_id
