-- In a restored copy: end every sign-in it remembers. A sign-out made after the backup is not
-- in it, so no remember-me cookie from before the restore opens the restored practice.
UPDATE auth_sessions SET revoked_at = $now WHERE revoked_at IS NULL
