-- Every couple the actor may open (its counselor, or an admin: any), to match a link's token.
SELECT c.id
FROM couples c
WHERE $is_admin OR c.counselor_id = $counselor_id
