-- How many counselor accounts exist (zero means the practice still needs its first admin).
SELECT count(*) AS n FROM counselors
