-- The partners of many (demo) couples, in display order.
SELECT couple_id, id, position FROM partners WHERE couple_id = ANY($couple_ids)
ORDER BY couple_id, position
