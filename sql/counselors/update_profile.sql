-- Change a counselor's display name and e-mail.
UPDATE counselors SET display_name = $display_name, email = $email, updated_at = $now
WHERE id = $id
