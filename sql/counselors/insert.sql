-- Create a counselor account; returns its id.
INSERT INTO counselors (username, display_name, email, role, active, password_hash,
                        must_change_password, created_at, updated_at)
VALUES ($username, $display_name, $email, $role, TRUE, $password_hash,
        $must_change_password, $now, $now)
RETURNING id
