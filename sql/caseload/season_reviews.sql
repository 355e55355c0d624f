-- Review dates of seasons not yet ended on $today, for every couple in scope.
SELECT s.couple_id, s.id AS season_id, s.title, s.lead_partner_id, s.review_on
FROM seasons s
JOIN couples c ON c.id = s.couple_id
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($couple_id IS NULL OR c.id = $couple_id)
  AND s.review_on IS NOT NULL
  AND s.starts_on <= CAST($today AS DATE)
  AND (s.ends_on IS NULL OR s.ends_on >= CAST($today AS DATE))
ORDER BY s.couple_id, s.review_on
