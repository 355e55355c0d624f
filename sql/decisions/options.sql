-- The options of one decision, in order.
SELECT id, decision_id, couple_id, position, label, week, impact_1, impact_2, view_1y, view_5y,
       view_10y, income_1, income_2, costs, cost_of_living, one_off, veto_1, veto_need_1,
       veto_2, veto_need_2
FROM decision_options
WHERE decision_id = $decision_id AND couple_id = $couple_id
ORDER BY position, id
