-- Move a couple to another counselor's caseload.
UPDATE couples SET counselor_id = $to_counselor_id, updated_at = $now WHERE id = $couple_id
