-- Every counselor account with its caseload size, for the admin page.
SELECT co.id, co.username, co.display_name, co.email, co.role, co.active,
       co.must_change_password, co.created_at,
       count(c.id) FILTER (WHERE c.status = 'active') AS active_couples,
       count(c.id) AS all_couples
FROM counselors co
LEFT JOIN couples c ON c.counselor_id = co.id
GROUP BY co.id, co.username, co.display_name, co.email, co.role, co.active,
         co.must_change_password, co.created_at
ORDER BY co.active DESC, lower(co.display_name), co.id
