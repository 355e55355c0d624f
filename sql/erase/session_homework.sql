-- Erase the exercises given to a couple as homework.
DELETE FROM session_homework WHERE couple_id = $couple_id
