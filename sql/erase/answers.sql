-- Erase every answer a couple's partners gave.
DELETE FROM answers WHERE couple_id = $couple_id
