-- Remove one option of a couple's decision. Returns its id: nothing, if it is not the couple's.
DELETE FROM decision_options
WHERE id = $option_id AND decision_id = $decision_id AND couple_id = $couple_id
RETURNING id
