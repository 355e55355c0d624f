-- The events of one couple that one event is named as the repayment of.
SELECT id, couple_id, occurred_on, kind, giver_partner_id, size, note, acknowledged, repaid_by_id
FROM ledger_events
WHERE couple_id = $couple_id AND repaid_by_id = $event_id
ORDER BY occurred_on, id
