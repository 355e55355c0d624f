-- Every row of table decision_weights that belongs to one couple (full-record export).
SELECT * FROM decision_weights WHERE couple_id = $couple_id ORDER BY decision_id, factor_id, partner_id
