-- Add a factor at the end of a decision's matrix; returns its id.
INSERT INTO decision_factors (decision_id, couple_id, position, label)
VALUES ($decision_id, $couple_id,
        (SELECT coalesce(max(position), 0) + 1 FROM decision_factors
         WHERE decision_id = $decision_id),
        $label)
RETURNING id
