-- Decisions whose follow-up date has come, for many couples at once (the actor's own).
SELECT d.couple_id, d.id AS decision_id, d.title, d.status, d.follow_up_on
FROM decisions d
JOIN couples c ON c.id = d.couple_id
WHERE d.couple_id = ANY($couple_ids)
  AND ($is_admin OR c.counselor_id = $counselor_id)
  AND d.follow_up_on IS NOT NULL AND d.follow_up_on <= $today
ORDER BY d.follow_up_on, d.couple_id, d.id
