-- A live sign-in by id with its account's current name and role, or nothing.
SELECT s.id AS session_id, s.last_seen_at, s.expires_stamp, co.id, co.username, co.display_name, co.role,
       co.must_change_password
FROM auth_sessions s
JOIN counselors co ON co.id = s.counselor_id
WHERE s.id = $session_id
  AND s.expires_stamp > $now_stamp
  AND s.revoked_at IS NULL
  AND co.active
