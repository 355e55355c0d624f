-- In a restored copy: one account as the database in use has it now (the same id and
-- username), so a deactivation, a password change or a role change made after the backup
-- holds after the restore.
UPDATE counselors
SET role = $role, active = $active, password_hash = $password_hash,
    must_change_password = $must_change_password, updated_at = $now
WHERE id = $id AND username = $username
  AND (role <> $role OR active <> $active OR password_hash <> $password_hash
       OR must_change_password <> $must_change_password)
RETURNING id
