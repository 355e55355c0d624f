-- Store many partners' option scores (1-10) per factor for decisions (synthetic practice).
INSERT INTO decision_scores (factor_id, option_id, partner_id, decision_id, couple_id, score,
                             source, updated_at)
SELECT unnest(CAST($factor_id AS INTEGER[])), unnest(CAST($option_id AS INTEGER[])),
       unnest(CAST($partner_id AS INTEGER[])), unnest(CAST($decision_id AS INTEGER[])),
       unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($score AS INTEGER[])),
       unnest(CAST($source AS VARCHAR[])), unnest(CAST($updated_at AS TIMESTAMP[]))
