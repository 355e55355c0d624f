-- Counselor-only answers of the questionnaires other than the check-in (the intake's "Just for
-- your counselor" part), submitted since $since_safety, for every couple in scope. A check-in
-- carries its own safety flag (caseload/partner_signals); core.alerts judges these answers
-- with core.safety, as a check-in's are judged when it is stored. Only the items named in
-- $items are read: a few rows per recent submission, however large the practice.
SELECT l.couple_id, l.partner_id, l.id AS link_id, l.instrument_id, l.submitted_at,
       a.item_id, a.value_json
FROM links l
JOIN couples c ON c.id = l.couple_id
JOIN answers a ON a.link_id = l.id
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($couple_id IS NULL OR l.couple_id = $couple_id)
  AND l.submitted_at >= $since_safety
  AND l.instrument_id <> 'checkin'
  AND a.item_id IN (SELECT unnest(CAST($items AS VARCHAR[])))
ORDER BY l.submitted_at, l.id
