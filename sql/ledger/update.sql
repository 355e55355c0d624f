-- Change one ledger event of a couple.
UPDATE ledger_events
SET occurred_on = $occurred_on, kind = $kind, giver_partner_id = $giver_partner_id,
    size = $size, note = $note, acknowledged = $acknowledged, repaid_by_id = $repaid_by_id,
    updated_at = $now
WHERE id = $event_id AND couple_id = $couple_id
