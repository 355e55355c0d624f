-- Create many already-submitted check-in links (demo history); returns ids with their hashes.
INSERT INTO links (couple_id, partner_id, instrument_id, instrument_version, token_hash,
                   created_by, created_at, expires_at, opened_at, started_at, submitted_at)
SELECT unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($partner_id AS INTEGER[])),
       $instrument_id, $instrument_version, unnest(CAST($token_hash AS VARCHAR[])),
       unnest(CAST($created_by AS INTEGER[])), unnest(CAST($created_at AS TIMESTAMP[])),
       unnest(CAST($expires_at AS TIMESTAMP[])), unnest(CAST($submitted_at AS TIMESTAMP[])),
       unnest(CAST($submitted_at AS TIMESTAMP[])), unnest(CAST($submitted_at AS TIMESTAMP[]))
RETURNING id, token_hash
