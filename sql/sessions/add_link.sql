-- Keep a partner link made for a session's homework with that session.
INSERT INTO session_links (session_id, link_id, couple_id)
VALUES ($session_id, $link_id, $couple_id)
ON CONFLICT (session_id, link_id) DO NOTHING
