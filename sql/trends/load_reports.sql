-- A couple's load-share reports: one per partner per day (on the wall clock of $zone, the
-- reader's), the day's mean, oldest first.
SELECT partner_id, CAST((submitted_at AT TIME ZONE 'UTC') AT TIME ZONE $zone AS DATE) AS day,
       avg(load_share) AS load_share
FROM checkins
WHERE couple_id = $couple_id AND load_share IS NOT NULL
GROUP BY partner_id, CAST((submitted_at AT TIME ZONE 'UTC') AT TIME ZONE $zone AS DATE)
ORDER BY day, partner_id
