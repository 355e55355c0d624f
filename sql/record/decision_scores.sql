-- Every row of table decision_scores that belongs to one couple (full-record export).
SELECT * FROM decision_scores WHERE couple_id = $couple_id ORDER BY decision_id, factor_id, option_id, partner_id
