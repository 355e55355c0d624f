-- Archived couples past the practice's retention period: archived before $cutoff and not
-- changed since (restoring a couple clears archived_at), oldest first, with their names and
-- counselor. A handful of rows: the admin's list before erasing them.
SELECT c.id, c.archived_at, c.updated_at, c.counselor_id, co.display_name AS counselor_name,
       p1.name AS name_1, p2.name AS name_2
FROM couples c
JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2
JOIN counselors co ON co.id = c.counselor_id
WHERE c.status = 'archived' AND c.archived_at < $cutoff AND c.updated_at < $cutoff
ORDER BY c.archived_at, c.id
