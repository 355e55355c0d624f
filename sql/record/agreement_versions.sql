-- Every row of table agreement_versions that belongs to one couple (full-record export).
SELECT * FROM agreement_versions WHERE couple_id = $couple_id ORDER BY agreement_id, version
