-- Remove both partners' weights for one factor.
DELETE FROM decision_weights
WHERE factor_id = $factor_id AND decision_id = $decision_id AND couple_id = $couple_id
