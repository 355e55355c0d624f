-- Add an option at the end of a decision's list, with the household's costs today as the
-- options before it have them ($costs, NULL: none yet); returns its id.
INSERT INTO decision_options (decision_id, couple_id, position, label, costs)
VALUES ($decision_id, $couple_id,
        (SELECT coalesce(max(position), 0) + 1 FROM decision_options
         WHERE decision_id = $decision_id),
        $label, $costs)
RETURNING id
