-- Store or replace a server-side secret.
INSERT INTO app_secrets (name, value, created_at) VALUES ($name, $value, $now)
ON CONFLICT (name) DO UPDATE SET value = excluded.value, created_at = excluded.created_at
