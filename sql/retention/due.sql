-- Archived couples past the practice's retention period: archived before $cutoff, and nothing
-- recorded for them since (restoring a couple clears archived_at; a session, check-in, link,
-- ledger event, season, roadmap entry, decision or agreement version written after the cutoff
-- keeps it), oldest first, with their names and counselor. The admin's list before erasing.
WITH archived AS (
    SELECT id FROM couples
    WHERE status = 'archived' AND archived_at < $cutoff AND updated_at < $cutoff
),
recent AS (
    SELECT couple_id FROM couple_sessions
    WHERE couple_id IN (SELECT id FROM archived)
      AND (updated_at >= $cutoff OR held_on >= CAST($cutoff AS DATE))
    UNION
    SELECT couple_id FROM checkins
    WHERE couple_id IN (SELECT id FROM archived) AND submitted_at >= $cutoff
    UNION
    SELECT couple_id FROM links
    WHERE couple_id IN (SELECT id FROM archived)
      AND (created_at >= $cutoff OR submitted_at >= $cutoff)
    UNION
    SELECT couple_id FROM ledger_events
    WHERE couple_id IN (SELECT id FROM archived) AND updated_at >= $cutoff
    UNION
    SELECT couple_id FROM seasons
    WHERE couple_id IN (SELECT id FROM archived) AND updated_at >= $cutoff
    UNION
    SELECT couple_id FROM roadmap_events
    WHERE couple_id IN (SELECT id FROM archived) AND updated_at >= $cutoff
    UNION
    SELECT couple_id FROM decisions
    WHERE couple_id IN (SELECT id FROM archived) AND updated_at >= $cutoff
    UNION
    SELECT couple_id FROM agreement_versions
    WHERE couple_id IN (SELECT id FROM archived) AND edited_at >= $cutoff
)
SELECT c.id, c.archived_at, c.updated_at, c.counselor_id, co.display_name AS counselor_name,
       p1.name AS name_1, p2.name AS name_2
FROM couples c
JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2
JOIN counselors co ON co.id = c.counselor_id
WHERE c.id IN (SELECT id FROM archived) AND c.id NOT IN (SELECT couple_id FROM recent)
ORDER BY c.archived_at, c.id
