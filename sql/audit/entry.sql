-- One row of the trail by its id, as audit/newest reads it, or nothing: the live database holds
-- a backup's newest row unchanged when the backup is an earlier copy of it.
SELECT id, occurred_at, actor_kind, actor_label, action, couple_ref, object
FROM audit_log
WHERE id = $id
