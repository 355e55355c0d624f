-- One ledger event of one couple, or nothing.
SELECT id, couple_id, occurred_on, kind, giver_partner_id, size, note, acknowledged, repaid_by_id
FROM ledger_events
WHERE id = $event_id AND couple_id = $couple_id
