-- The couple's own row (full-record export).
SELECT * FROM couples WHERE id = $couple_id
