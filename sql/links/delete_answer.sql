-- Remove one answer of a link (the partner cleared it).
DELETE FROM answers WHERE link_id = $link_id AND item_id = $item_id
