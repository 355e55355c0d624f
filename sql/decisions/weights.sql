-- Every partner's weight for every factor of one decision.
SELECT factor_id, partner_id, weight, source, updated_at
FROM decision_weights
WHERE decision_id = $decision_id AND couple_id = $couple_id
