-- Erase a couple's partner links.
DELETE FROM links WHERE couple_id = $couple_id
