-- Store many questionnaire and homework links under reserved ids (synthetic practice).
INSERT INTO links (id, couple_id, partner_id, instrument_id, instrument_version, token_hash,
                   created_by, created_at, expires_at, opened_at, started_at, submitted_at)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($partner_id AS INTEGER[])), unnest(CAST($instrument_id AS VARCHAR[])),
       unnest(CAST($instrument_version AS INTEGER[])), unnest(CAST($token_hash AS VARCHAR[])),
       unnest(CAST($created_by AS INTEGER[])), unnest(CAST($created_at AS TIMESTAMP[])),
       unnest(CAST($expires_at AS TIMESTAMP[])), unnest(CAST($opened_at AS TIMESTAMP[])),
       unnest(CAST($started_at AS TIMESTAMP[])), unnest(CAST($submitted_at AS TIMESTAMP[]))
