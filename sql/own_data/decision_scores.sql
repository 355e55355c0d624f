-- One partner's scores of the options of one couple's decisions (their own, never the other's).
SELECT factor_id, option_id, decision_id, score, source, updated_at
FROM decision_scores
WHERE couple_id = $couple_id AND partner_id = $partner_id
ORDER BY decision_id, option_id, factor_id
