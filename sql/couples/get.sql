-- One couple if the actor may see it (its counselor, or an admin), or nothing.
SELECT c.id, c.counselor_id, c.status, c.notes, c.created_at, c.updated_at, c.archived_at,
       co.display_name AS counselor_name
FROM couples c
JOIN counselors co ON co.id = c.counselor_id
WHERE c.id = $couple_id
  AND ($is_admin OR c.counselor_id = $counselor_id)
