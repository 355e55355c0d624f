-- Replace one answer of a link that is already saved; returns its row when there was one.
-- Tried before sql/links/insert_answer.sql: at 19 million answers an UPDATE by the key is
-- ~1 ms and INSERT … ON CONFLICT DO UPDATE 2–6 ms (issue 6). Writes take turns in a process
-- (core/db.py), so no other save of this answer comes between the two; a PostgreSQL backend,
-- with writers in several processes, would put the ON CONFLICT clause back on the insert.
UPDATE answers
SET value_json = $value_json, updated_at = $now
WHERE link_id = $link_id AND item_id = $item_id
RETURNING item_id
