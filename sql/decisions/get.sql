-- One decision, if it belongs to the couple.
SELECT id, couple_id, title, kind, status, facts, deadline_on, urgency, urgency_note, outcome,
       chosen_option_id, decided_on, follow_up_on, created_at, updated_at
FROM decisions
WHERE id = $decision_id AND couple_id = $couple_id
