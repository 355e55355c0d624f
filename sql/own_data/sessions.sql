-- A couple's sessions, oldest first: the date, the focus and the takeaways written for the
-- couple. Never the counselor's notes (a partner's own-data export reads only this).
SELECT id, held_on, focus, takeaways
FROM couple_sessions
WHERE couple_id = $couple_id
ORDER BY held_on, id
