-- Erase every version of a couple's agreements.
DELETE FROM agreement_versions WHERE couple_id = $couple_id
