-- The newest version of one agreement, if it belongs to the couple.
SELECT v.agreement_id AS id, v.couple_id, v.version, v.title, v.body, v.kind, v.status,
       v.exit_plan, v.review_on, v.confirmed_on, v.change_note, v.edited_at, a.created_at
FROM agreement_versions v
JOIN agreements a ON a.id = v.agreement_id
WHERE v.agreement_id = $agreement_id AND v.couple_id = $couple_id
  AND v.version = (SELECT max(v2.version) FROM agreement_versions v2 WHERE v2.agreement_id = v.agreement_id)
