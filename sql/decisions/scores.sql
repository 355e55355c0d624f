-- Every partner's score for every factor and option of one decision.
SELECT factor_id, option_id, partner_id, score, source, updated_at
FROM decision_scores
WHERE decision_id = $decision_id AND couple_id = $couple_id
