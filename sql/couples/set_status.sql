-- Archive or restore a couple.
UPDATE couples
SET status = $status, updated_at = $now,
    archived_at = CASE WHEN $status = 'archived' THEN $now ELSE NULL END
WHERE id = $couple_id
