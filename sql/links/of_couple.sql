-- A link's id if it is one of the couple's (whatever its state), else nothing.
SELECT id FROM links WHERE id = $link_id AND couple_id = $couple_id
