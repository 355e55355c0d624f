-- The couple a live sign-in last had open, if its account may still open it (its counselor, or
-- an admin), or nothing: a couple moved to another counselor or erased since is not returned.
SELECT c.id
FROM auth_sessions s
JOIN couples c ON c.id = s.open_couple_id
WHERE s.id = $session_id
  AND s.counselor_id = $counselor_id
  AND s.revoked_at IS NULL
  AND ($is_admin OR c.counselor_id = $counselor_id)
