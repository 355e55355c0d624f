-- Activate or deactivate a counselor account.
UPDATE counselors SET active = $active, updated_at = $now WHERE id = $id
