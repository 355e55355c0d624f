-- Remove one ledger event of a couple.
DELETE FROM ledger_events WHERE id = $event_id AND couple_id = $couple_id
