-- Add an option at the end of a decision's list; returns its id.
INSERT INTO decision_options (decision_id, couple_id, position, label)
VALUES ($decision_id, $couple_id,
        (SELECT coalesce(max(position), 0) + 1 FROM decision_options
         WHERE decision_id = $decision_id),
        $label)
RETURNING id
