-- Every answer one partner of one couple saved through their own links (sent or not), by link.
-- Both the answer's and the link's partner must be theirs: nothing of the other partner's.
SELECT a.link_id, a.item_id, a.value_json, a.updated_at
FROM answers a
JOIN links l ON l.id = a.link_id
WHERE a.couple_id = $couple_id AND a.partner_id = $partner_id
  AND l.couple_id = $couple_id AND l.partner_id = $partner_id
ORDER BY a.link_id, a.item_id
