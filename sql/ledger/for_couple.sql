-- A couple's ledger events in date order.
SELECT id, couple_id, occurred_on, kind, giver_partner_id, size, note, acknowledged,
       repaid_by_id, created_at, updated_at
FROM ledger_events
WHERE couple_id = $couple_id
ORDER BY occurred_on, id
