-- The check-in schedule of every couple in scope that has one.
SELECT s.couple_id, s.cadence, s.anchor_on, s.timezone, s.since
FROM checkin_schedules s
JOIN couples c ON c.id = s.couple_id
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($couple_id IS NULL OR c.id = $couple_id)
