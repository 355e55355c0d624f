-- Every version of a couple's agreements, oldest first per agreement, with who made it (one
-- read for a summary that shows several agreements).
SELECT v.agreement_id AS id, v.version, v.title, v.body, v.kind, v.status, v.exit_plan,
       v.review_on, v.confirmed_on, v.change_note, v.edited_at,
       co.display_name AS edited_by_name
FROM agreement_versions v
LEFT JOIN counselors co ON co.id = v.edited_by
WHERE v.couple_id = $couple_id
ORDER BY v.agreement_id, v.version
