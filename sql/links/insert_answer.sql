-- Save one answer of a link that has none for this item yet (see sql/links/update_answer.sql).
INSERT INTO answers (link_id, couple_id, partner_id, item_id, value_json, updated_at)
VALUES ($link_id, $couple_id, $partner_id, $item_id, $value_json, $now)
