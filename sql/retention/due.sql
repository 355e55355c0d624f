-- Archived couples past the practice's retention period: archived before $cutoff, and nothing
-- recorded for them since (restoring a couple clears archived_at; a session, check-in, link,
-- ledger event, season, roadmap entry, decision or agreement version written after the cutoff
-- keeps it), oldest first, with their names and counselor. The admin's list before erasing.
WITH activity (couple_id, happened) AS (
    SELECT couple_id, updated_at FROM couple_sessions
    UNION ALL SELECT couple_id, CAST(held_on AS TIMESTAMP) FROM couple_sessions
    UNION ALL SELECT couple_id, submitted_at FROM checkins
    UNION ALL SELECT couple_id, created_at FROM links
    UNION ALL SELECT couple_id, submitted_at FROM links
    UNION ALL SELECT couple_id, updated_at FROM ledger_events
    UNION ALL SELECT couple_id, updated_at FROM seasons
    UNION ALL SELECT couple_id, updated_at FROM roadmap_events
    UNION ALL SELECT couple_id, updated_at FROM decisions
    UNION ALL SELECT couple_id, edited_at FROM agreement_versions
)
SELECT c.id, c.archived_at, co.display_name AS counselor_name,
       p1.name AS name_1, p2.name AS name_2
FROM couples c
JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2
JOIN counselors co ON co.id = c.counselor_id
WHERE c.status = 'archived' AND c.archived_at < $cutoff AND c.updated_at < $cutoff
  AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.couple_id = c.id AND a.happened >= $cutoff)
ORDER BY c.archived_at, c.id
