-- Replace the counselor's notes on a couple.
UPDATE couples SET notes = $notes, updated_at = $now WHERE id = $couple_id
