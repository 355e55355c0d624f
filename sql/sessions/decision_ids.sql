-- Ids of the decisions one session discussed.
SELECT decision_id FROM session_decisions
WHERE session_id = $session_id AND couple_id = $couple_id
ORDER BY decision_id
