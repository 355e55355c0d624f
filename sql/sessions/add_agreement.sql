-- Note that a session discussed an agreement.
INSERT INTO session_agreements (session_id, agreement_id, couple_id)
VALUES ($session_id, $agreement_id, $couple_id)
ON CONFLICT (session_id, agreement_id) DO NOTHING
