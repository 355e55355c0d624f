-- Couples erased ("Delete for good") since the database file was last compacted (manage compact),
-- and when that was (NULL: never). Both are rows of the audit trail.
WITH compacted AS (
    SELECT max(occurred_at) AS last_at FROM audit_log WHERE action = 'update' AND object = $compacted
)
SELECT
    (SELECT last_at FROM compacted) AS compacted_at,
    count(*) AS erased
FROM audit_log
WHERE action = 'delete'
  AND object = $erased
  AND ((SELECT last_at FROM compacted) IS NULL OR occurred_at > (SELECT last_at FROM compacted))
