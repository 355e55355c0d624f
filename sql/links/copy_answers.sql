-- Copy one link's saved answers to a newer link of the same partner and form (a draft carried
-- on: a re-sent link, a replaced personal check-in link, a restarted hand-over).
INSERT INTO answers (link_id, couple_id, partner_id, item_id, value_json, updated_at)
SELECT $to_link_id, a.couple_id, a.partner_id, a.item_id, a.value_json, a.updated_at
FROM answers a
WHERE a.link_id = $from_link_id AND a.couple_id = $couple_id
ON CONFLICT (link_id, item_id) DO NOTHING
