-- Dates the couple already set elsewhere: agreement reviews and decision deadlines/follow-ups.
SELECT 'agreement_review' AS source, v.title, v.review_on AS starts_on
FROM agreement_versions v
WHERE v.couple_id = $couple_id AND v.review_on IS NOT NULL
  AND v.status IN ('active', 'under_review')
  AND v.version = (SELECT max(v2.version) FROM agreement_versions v2
                   WHERE v2.agreement_id = v.agreement_id)
UNION ALL
SELECT 'decision_deadline' AS source, d.title, d.deadline_on AS starts_on
FROM decisions d
WHERE d.couple_id = $couple_id AND d.deadline_on IS NOT NULL AND d.status = 'open'
UNION ALL
SELECT 'decision_follow_up' AS source, d.title, d.follow_up_on AS starts_on
FROM decisions d
WHERE d.couple_id = $couple_id AND d.follow_up_on IS NOT NULL
ORDER BY starts_on
