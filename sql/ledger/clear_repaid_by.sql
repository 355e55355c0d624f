-- Events repaid by an event about to be removed become unrepaid.
UPDATE ledger_events SET repaid_by_id = NULL
WHERE couple_id = $couple_id AND repaid_by_id = $event_id
