-- Erase a couple's sacrifice and opportunity ledger.
DELETE FROM ledger_events WHERE couple_id = $couple_id
