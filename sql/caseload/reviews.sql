-- Every review date still to be kept, passed or to come, for every couple in scope (a
-- counselor's, the practice's, or one $couple_id), in one query: the review of each season
-- under way on $today, of each live agreement (its newest version active or under review) and
-- the follow-up of each open decision. core.alerts tells passed from coming on the reader's own
-- day: the caseload's "Next review" and "Review date passed".
SELECT s.couple_id, 'season' AS source, s.title, s.review_on
FROM seasons s
JOIN couples c ON c.id = s.couple_id
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($couple_id IS NULL OR c.id = $couple_id)
  AND s.review_on IS NOT NULL
  AND s.starts_on <= CAST($today AS DATE)
  AND (s.ends_on IS NULL OR s.ends_on >= CAST($today AS DATE))
UNION ALL
SELECT v.couple_id, 'agreement' AS source, v.title, v.review_on
FROM agreement_versions v
JOIN couples c ON c.id = v.couple_id
-- An agreement's newest version is the one in force (a join, not a subquery per row: the whole
-- practice's versions are read at once).
JOIN (SELECT agreement_id, max(version) AS version
      FROM agreement_versions
      GROUP BY agreement_id) newest
  ON newest.agreement_id = v.agreement_id AND newest.version = v.version
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($couple_id IS NULL OR c.id = $couple_id)
  AND v.status IN ('active', 'under_review')
  AND v.review_on IS NOT NULL
UNION ALL
SELECT d.couple_id, 'decision' AS source, d.title, d.follow_up_on AS review_on
FROM decisions d
JOIN couples c ON c.id = d.couple_id
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($couple_id IS NULL OR c.id = $couple_id)
  -- Open only: a decided (or set-aside) decision's follow-up has no way to be marked done, so
  -- once passed it would flag "Review date passed" for good (at 2,000 synthetic couples, 1,214
  -- with that alert instead of 718).
  AND d.status = 'open'
  AND d.follow_up_on IS NOT NULL
ORDER BY couple_id, review_on, source
