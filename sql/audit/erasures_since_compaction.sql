-- Couples erased ("Delete for good") since the database file was last compacted (manage compact),
-- and when that was (NULL: never). Both are rows of the audit trail.
WITH compacted AS (
    SELECT max(occurred_at) AS last_at FROM audit_log WHERE action = 'update' AND object = $compacted
)
SELECT
    c.last_at AS compacted_at,
    count(a.occurred_at) AS erased
FROM compacted AS c
LEFT JOIN audit_log AS a
    ON a.action = 'delete'
   AND a.object = $erased
   AND (c.last_at IS NULL OR a.occurred_at > c.last_at)
GROUP BY c.last_at
