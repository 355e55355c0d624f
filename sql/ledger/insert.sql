-- Log one event in a couple's ledger; returns its id.
INSERT INTO ledger_events (couple_id, occurred_on, kind, giver_partner_id, size, note,
                           acknowledged, repaid_by_id, created_by, created_at, updated_at)
VALUES ($couple_id, $occurred_on, $kind, $giver_partner_id, $size, $note,
        $acknowledged, $repaid_by_id, $created_by, $now, $now)
RETURNING id
