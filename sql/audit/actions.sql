-- The distinct actions and actors recorded so far (for the admin's filters).
SELECT DISTINCT action, actor_label FROM audit_log ORDER BY action, actor_label
