-- The trail's newest row (by id: rows are numbered in the order written), or nothing. Read in
-- a restored copy of a backup: the last thing the backup's trail holds.
SELECT id, occurred_at, actor_kind, actor_label, action, couple_ref, object
FROM audit_log
ORDER BY id DESC
LIMIT 1
