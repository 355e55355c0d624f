-- Append one audit row.
INSERT INTO audit_log (occurred_at, actor_kind, actor_id, actor_label, action, couple_ref, object, detail)
VALUES ($at, $actor_kind, $actor_id, $actor_label, $action, $couple_ref, $object, $detail)
