-- Give an exercise as homework in a session.
INSERT INTO session_homework (session_id, instrument_id, couple_id, assigned_at)
VALUES ($session_id, $instrument_id, $couple_id, $now)
ON CONFLICT (session_id, instrument_id) DO NOTHING
