-- The live sign-in a remember-me cookie names, with its account, or nothing.
SELECT s.id AS session_id, s.last_seen_at, co.id, co.username, co.display_name, co.role,
       co.must_change_password
FROM auth_sessions s
JOIN counselors co ON co.id = s.counselor_id
WHERE co.username = $username
  AND s.expires_stamp = $expires_stamp
  AND s.expires_stamp > $now_stamp
  AND s.revoked_at IS NULL
  AND co.active
