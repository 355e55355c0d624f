-- Remove one factor of a couple's decision matrix. Returns its id: nothing, if it is not the couple's.
DELETE FROM decision_factors
WHERE id = $factor_id AND decision_id = $decision_id AND couple_id = $couple_id
RETURNING id
