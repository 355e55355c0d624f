-- The submitted period link behind every check-in whose link id is in [$first_id, $last_id]:
-- opened, started and submitted minutes apart, expiring a day after its period (as the app does).
INSERT INTO links (id, couple_id, partner_id, instrument_id, instrument_version, token_hash,
                   created_by, created_at, expires_at, opened_at, started_at, submitted_at)
SELECT ch.link_id, ch.couple_id, ch.partner_id, $instrument_id, $instrument_version,
       sha256($token_prefix || CAST(ch.link_id AS VARCHAR)), c.counselor_id,
       ch.submitted_at - INTERVAL '6 minutes',
       CAST(ch.period_on AS TIMESTAMP)
         + CASE s.cadence WHEN 'monthly' THEN INTERVAL '1 month'
                          WHEN 'fortnightly' THEN INTERVAL '14 days'
                          ELSE INTERVAL '7 days' END
         + INTERVAL '2 days',
       ch.submitted_at - INTERVAL '6 minutes', ch.submitted_at - INTERVAL '5 minutes',
       ch.submitted_at
FROM checkins ch
JOIN couples c ON c.id = ch.couple_id
JOIN checkin_schedules s ON s.couple_id = ch.couple_id
WHERE ch.link_id BETWEEN $first_id AND $last_id
