-- Create an agreement of a couple (its text lives in agreement_versions); returns its id.
INSERT INTO agreements (couple_id, created_by, created_at)
VALUES ($couple_id, $created_by, $now)
RETURNING id
