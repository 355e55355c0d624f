-- Store many opportunity-matrix factors under reserved ids (synthetic practice).
INSERT INTO decision_factors (id, decision_id, couple_id, position, label)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($decision_id AS INTEGER[])),
       unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($position AS INTEGER[])),
       unnest(CAST($label AS VARCHAR[]))
