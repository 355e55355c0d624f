-- Every account as the database in use has it now: who may sign in, with which password and
-- role. A restore brings the restored copy's accounts up to this (core/backups.py).
SELECT id, username, role, active, password_hash, must_change_password
FROM counselors
ORDER BY id
