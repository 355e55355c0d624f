-- Erase a couple's big decisions.
DELETE FROM decisions WHERE couple_id = $couple_id
