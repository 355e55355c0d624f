-- The couples erased (action 'delete' on $erased) in rows written after the row $after, each
-- once, with the first row that says so: what a restore of a backup whose trail ends at $after
-- erases again in the restored copy.
SELECT couple_ref, min(id) AS entry
FROM audit_log
WHERE action = 'delete' AND object = $erased AND id > $after AND couple_ref IS NOT NULL
GROUP BY couple_ref
ORDER BY couple_ref
