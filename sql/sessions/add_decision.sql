-- Note that a session discussed a decision.
INSERT INTO session_decisions (session_id, decision_id, couple_id)
VALUES ($session_id, $decision_id, $couple_id)
ON CONFLICT (session_id, decision_id) DO NOTHING
