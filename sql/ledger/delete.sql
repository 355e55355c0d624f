-- Remove one ledger event of a couple. Returns its id: nothing, if it is not the couple's.
DELETE FROM ledger_events WHERE id = $event_id AND couple_id = $couple_id
RETURNING id
