-- Create a check-in link (a period's, or a hand-over's) unless its token hash exists; its id.
-- $origin is 'period' (then $standing_link_id names the standing link that made it) or
-- 'handover'.
INSERT INTO links (couple_id, partner_id, instrument_id, instrument_version, token_hash,
                   created_by, created_at, expires_at, origin, standing_link_id)
VALUES ($couple_id, $partner_id, $instrument_id, $instrument_version, $token_hash,
        $created_by, $now, $expires_at, $origin, $standing_link_id)
ON CONFLICT (token_hash) DO NOTHING
RETURNING id
