-- How many couples a counselor has, by status (for the caseload header).
SELECT count(*) FILTER (WHERE status = 'active') AS active,
       count(*) FILTER (WHERE status = 'archived') AS archived
FROM couples
WHERE ($whole_practice OR counselor_id = $counselor_id)
