-- Replace the framework fields of one of a couple's decisions.
UPDATE decisions
SET title = $title, kind = $kind, status = $status, facts = $facts, deadline_on = $deadline_on,
    urgency = $urgency, urgency_note = $urgency_note, outcome = $outcome,
    chosen_option_id = $chosen_option_id, decided_on = $decided_on,
    follow_up_on = $follow_up_on, updated_at = $now
WHERE id = $decision_id AND couple_id = $couple_id
