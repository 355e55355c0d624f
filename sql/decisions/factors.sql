-- The matrix factors of one decision, in order.
SELECT id, decision_id, couple_id, position, label
FROM decision_factors
WHERE decision_id = $decision_id AND couple_id = $couple_id
ORDER BY position, id
