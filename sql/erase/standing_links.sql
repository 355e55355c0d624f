-- Erase a couple's standing personal check-in links.
DELETE FROM standing_links WHERE couple_id = $couple_id
