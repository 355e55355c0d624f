-- Every saved answer of one link.
SELECT item_id, value_json, updated_at FROM answers WHERE link_id = $link_id
