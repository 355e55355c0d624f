-- How many active admin accounts exist (the last one may not be removed or demoted).
SELECT count(*) AS n FROM counselors WHERE role = 'admin' AND active
