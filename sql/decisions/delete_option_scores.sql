-- Remove every matrix score given to one option.
DELETE FROM decision_scores
WHERE option_id = $option_id AND decision_id = $decision_id AND couple_id = $couple_id
