-- Remove the couple row itself (after every sql/erase/*.sql has removed its data).
DELETE FROM couples WHERE id = $couple_id
