-- Save (or replace) one answer of a link.
INSERT INTO answers (link_id, couple_id, partner_id, item_id, value_json, updated_at)
VALUES ($link_id, $couple_id, $partner_id, $item_id, $value_json, $now)
ON CONFLICT (link_id, item_id) DO UPDATE
SET value_json = excluded.value_json, updated_at = excluded.updated_at
