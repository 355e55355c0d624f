-- Copy one check-in's saved answers to another check-in of the same partner (a draft moving on).
INSERT INTO answers (link_id, couple_id, partner_id, item_id, value_json, updated_at)
SELECT $to_link_id, a.couple_id, a.partner_id, a.item_id, a.value_json, a.updated_at
FROM answers a
WHERE a.link_id = $from_link_id AND a.couple_id = $couple_id
ON CONFLICT (link_id, item_id) DO NOTHING
