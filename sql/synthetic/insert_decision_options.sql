-- Store many decision options under reserved ids, with money per option (synthetic practice).
INSERT INTO decision_options (id, decision_id, couple_id, position, label, week, impact_1,
                              impact_2, income_1, income_2, costs, cost_of_living, one_off)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($decision_id AS INTEGER[])),
       unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($position AS INTEGER[])),
       unnest(CAST($label AS VARCHAR[])), unnest(CAST($week AS VARCHAR[])),
       unnest(CAST($impact_1 AS VARCHAR[])), unnest(CAST($impact_2 AS VARCHAR[])),
       unnest(CAST($income_1 AS DOUBLE[])), unnest(CAST($income_2 AS DOUBLE[])),
       unnest(CAST($costs AS DOUBLE[])), unnest(CAST($cost_of_living AS DOUBLE[])),
       unnest(CAST($one_off AS DOUBLE[]))
