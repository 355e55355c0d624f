-- Create a check-in link (a period's, or a hand-over's) unless its token hash exists; its id.
INSERT INTO links (couple_id, partner_id, instrument_id, instrument_version, token_hash,
                   created_by, created_at, expires_at)
VALUES ($couple_id, $partner_id, $instrument_id, $instrument_version, $token_hash,
        $created_by, $now, $expires_at)
ON CONFLICT (token_hash) DO NOTHING
RETURNING id
