-- Live agreements whose review date has come, for many couples at once (the actor's own).
SELECT v.couple_id, v.agreement_id, v.title, v.status, v.review_on
FROM agreement_versions v
JOIN couples c ON c.id = v.couple_id
WHERE v.couple_id = ANY($couple_ids)
  AND ($is_admin OR c.counselor_id = $counselor_id)
  AND v.version = (SELECT max(v2.version) FROM agreement_versions v2 WHERE v2.agreement_id = v.agreement_id)
  AND v.status IN ('active', 'under_review')
  AND v.review_on IS NOT NULL AND v.review_on <= $today
ORDER BY v.review_on, v.couple_id, v.agreement_id
