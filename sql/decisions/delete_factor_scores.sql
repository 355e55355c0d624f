-- Remove both partners' scores for one factor.
DELETE FROM decision_scores
WHERE factor_id = $factor_id AND decision_id = $decision_id AND couple_id = $couple_id
