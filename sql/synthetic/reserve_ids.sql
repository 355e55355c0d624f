-- The first and last of $n new ids taken from the sequence named $sequence (NULLs when $n is 0).
SELECT min(v) AS first_id, max(v) AS last_id, count(*) AS taken
FROM (SELECT nextval($sequence) AS v FROM generate_series(1, $n)) ids
