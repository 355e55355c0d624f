-- Mark a couple as changed now.
UPDATE couples SET updated_at = $now WHERE id = $couple_id
