-- Store many partners' factor weights (1-10) for decisions (synthetic practice).
INSERT INTO decision_weights (factor_id, partner_id, decision_id, couple_id, weight, source,
                              updated_at)
SELECT unnest(CAST($factor_id AS INTEGER[])), unnest(CAST($partner_id AS INTEGER[])),
       unnest(CAST($decision_id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($weight AS INTEGER[])), unnest(CAST($source AS VARCHAR[])),
       unnest(CAST($updated_at AS TIMESTAMP[]))
