-- Erase a couple's agreements (their versions are erased by agreement_versions).
DELETE FROM agreements WHERE couple_id = $couple_id
