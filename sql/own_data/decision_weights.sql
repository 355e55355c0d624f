-- One partner's weights for the factors of one couple's decisions (their own, never the other's).
SELECT factor_id, decision_id, weight, source, updated_at
FROM decision_weights
WHERE couple_id = $couple_id AND partner_id = $partner_id
ORDER BY decision_id, factor_id
