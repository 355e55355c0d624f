-- Ids of the agreements one session discussed.
SELECT agreement_id FROM session_agreements
WHERE session_id = $session_id AND couple_id = $couple_id
ORDER BY agreement_id
