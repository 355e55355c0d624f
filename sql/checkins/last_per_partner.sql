-- Each partner's newest check-in time and number of check-ins, for one couple.
SELECT partner_id, max(submitted_at) AS last_submitted, count(*) AS count
FROM checkins
WHERE couple_id = $couple_id
GROUP BY partner_id
