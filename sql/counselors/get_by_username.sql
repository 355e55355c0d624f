-- One counselor account by its (lower-case) username, or nothing.
SELECT id, username, display_name, email, role, active, password_hash, must_change_password
FROM counselors
WHERE username = $username
