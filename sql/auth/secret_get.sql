-- A server-side secret by name, or nothing.
SELECT value FROM app_secrets WHERE name = $name
