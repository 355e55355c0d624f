-- Every decision of one couple: open ones first, then newest.
SELECT id, couple_id, title, kind, status, facts, deadline_on, urgency, urgency_note, outcome,
       chosen_option_id, decided_on, follow_up_on, created_at, updated_at
FROM decisions
WHERE couple_id = $couple_id
ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, created_at DESC, id DESC
