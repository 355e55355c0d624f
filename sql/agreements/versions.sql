-- Every version of one agreement of a couple, oldest first, with who made it.
SELECT v.agreement_id AS id, v.version, v.title, v.body, v.kind, v.status, v.exit_plan,
       v.review_on, v.confirmed_on, v.change_note, v.edited_at,
       co.display_name AS edited_by_name
FROM agreement_versions v
LEFT JOIN counselors co ON co.id = v.edited_by
WHERE v.agreement_id = $agreement_id AND v.couple_id = $couple_id
ORDER BY v.version
