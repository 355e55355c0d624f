-- Forget which links belonged to one session (the links and answers themselves stay).
DELETE FROM session_links WHERE session_id = $session_id AND couple_id = $couple_id
