-- Replace everything written about one option of a couple's decision.
UPDATE decision_options
SET label = $label, week = $week, impact_1 = $impact_1, impact_2 = $impact_2,
    view_1y = $view_1y, view_5y = $view_5y, view_10y = $view_10y,
    income_1 = $income_1, income_2 = $income_2, costs = $costs,
    cost_of_living = $cost_of_living, one_off = $one_off,
    veto_1 = $veto_1, veto_need_1 = $veto_need_1, veto_2 = $veto_2, veto_need_2 = $veto_need_2
WHERE id = $option_id AND decision_id = $decision_id AND couple_id = $couple_id
