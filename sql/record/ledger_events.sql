-- A couple's sacrifice and opportunity ledger for the full-record export, in time order.
SELECT id, couple_id, occurred_on, kind, giver_partner_id, size, note, acknowledged,
       repaid_by_id, created_by, created_at, updated_at
FROM ledger_events
WHERE couple_id = $couple_id
ORDER BY occurred_on, id
