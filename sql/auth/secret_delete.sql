-- Remove a server-side secret (e.g. the one-time setup code once used).
DELETE FROM app_secrets WHERE name = $name
