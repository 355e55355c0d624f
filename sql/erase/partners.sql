-- Erase a couple's partners.
DELETE FROM partners WHERE couple_id = $couple_id
