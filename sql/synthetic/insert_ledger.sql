-- Store many ledger events under reserved ids, repayments included (synthetic practice).
INSERT INTO ledger_events (id, couple_id, occurred_on, kind, giver_partner_id, size, note,
                           acknowledged, repaid_by_id, created_by, created_at, updated_at)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($occurred_on AS DATE[])), unnest(CAST($kind AS VARCHAR[])),
       unnest(CAST($giver_partner_id AS INTEGER[])), unnest(CAST($size AS SMALLINT[])),
       unnest(CAST($note AS VARCHAR[])), unnest(CAST($acknowledged AS BOOLEAN[])),
       unnest(CAST($repaid_by_id AS INTEGER[])), unnest(CAST($created_by AS INTEGER[])),
       unnest(CAST($created_at AS TIMESTAMP[])), unnest(CAST($created_at AS TIMESTAMP[]))
