-- Every row of table answers that belongs to one couple (full-record export).
SELECT * FROM answers WHERE couple_id = $couple_id ORDER BY link_id, item_id
