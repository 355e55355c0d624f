-- When each couple erasure since $since was recorded (UTC), oldest first: the Admin page counts
-- those made after each backup it lists.
SELECT occurred_at
FROM audit_log
WHERE action = 'delete' AND object = $erased AND occurred_at >= $since
ORDER BY occurred_at
