-- Erase which agreements a couple's sessions discussed.
DELETE FROM session_agreements WHERE couple_id = $couple_id
