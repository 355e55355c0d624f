-- Every opportunity-matrix factor of one couple's decisions, in each decision's order.
SELECT id, decision_id, position, label
FROM decision_factors
WHERE couple_id = $couple_id
ORDER BY decision_id, position, id
