-- Create a link for one partner and one instrument; returns its id.
INSERT INTO links (couple_id, partner_id, instrument_id, instrument_version, token_hash,
                   created_by, created_at, expires_at, decision_id)
VALUES ($couple_id, $partner_id, $instrument_id, $instrument_version, $token_hash,
        $created_by, $now, $expires_at, $decision_id)
RETURNING id
