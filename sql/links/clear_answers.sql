-- Forget the answers of a link whose draft moved on to a newer one (it is never sent).
DELETE FROM answers WHERE link_id = $from_link_id AND couple_id = $couple_id
