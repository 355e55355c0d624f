-- Set one partner's weight (1-10) for one factor.
INSERT INTO decision_weights (factor_id, partner_id, decision_id, couple_id, weight, source,
                              updated_at)
VALUES ($factor_id, $partner_id, $decision_id, $couple_id, $weight, $source, $now)
ON CONFLICT (factor_id, partner_id) DO UPDATE
SET weight = excluded.weight, source = excluded.source, updated_at = excluded.updated_at
