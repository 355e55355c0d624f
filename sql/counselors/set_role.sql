-- Change a counselor's role ('counselor' or 'admin').
UPDATE counselors SET role = $role, updated_at = $now WHERE id = $id
