-- Erase both partners' matrix scores for a couple's decisions.
DELETE FROM decision_scores WHERE couple_id = $couple_id
