-- Log many ledger events at once (demo history); returns each id with the key it was given.
INSERT INTO ledger_events (couple_id, occurred_on, kind, giver_partner_id, size, note,
                           acknowledged, created_by, created_at, updated_at)
SELECT unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($occurred_on AS DATE[])),
       unnest(CAST($kind AS VARCHAR[])), unnest(CAST($giver_partner_id AS INTEGER[])),
       unnest(CAST($size AS SMALLINT[])), unnest(CAST($note AS VARCHAR[])),
       unnest(CAST($acknowledged AS BOOLEAN[])), unnest(CAST($created_by AS INTEGER[])),
       $now, $now
RETURNING id, couple_id, note
