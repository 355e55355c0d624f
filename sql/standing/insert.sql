-- Create a partner's standing check-in link; returns its id.
INSERT INTO standing_links (couple_id, partner_id, token_hash, created_by, created_at, expires_at)
VALUES ($couple_id, $partner_id, $token_hash, $created_by, $now, $expires_at)
RETURNING id
