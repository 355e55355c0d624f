-- Audit rows, newest first, filtered by time range, actor label, action and couple (blank = any).
SELECT id, occurred_at, actor_kind, actor_id, actor_label, action, couple_ref, object, detail
FROM audit_log
WHERE occurred_at >= $since AND occurred_at < $until
  AND ($actor = '' OR actor_label = $actor)
  AND ($action = '' OR action = $action)
  AND ($couple_ref IS NULL OR couple_ref = $couple_ref)
ORDER BY occurred_at DESC, id DESC
LIMIT $limit
