-- Erase both partners' matrix weights for a couple's decisions.
DELETE FROM decision_weights WHERE couple_id = $couple_id
