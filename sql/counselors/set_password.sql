-- Replace a counselor's password hash and whether they must change it at next sign-in.
UPDATE counselors
SET password_hash = $password_hash, must_change_password = $must_change_password,
    updated_at = $now
WHERE id = $id
