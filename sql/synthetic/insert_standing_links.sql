-- Store many partners' standing check-in links (synthetic practice): parallel lists.
INSERT INTO standing_links (couple_id, partner_id, token_hash, created_by, created_at,
                            expires_at, last_opened_at)
SELECT unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($partner_id AS INTEGER[])),
       unnest(CAST($token_hash AS VARCHAR[])), unnest(CAST($created_by AS INTEGER[])),
       unnest(CAST($created_at AS TIMESTAMP[])), unnest(CAST($expires_at AS TIMESTAMP[])),
       unnest(CAST($last_opened_at AS TIMESTAMP[]))
