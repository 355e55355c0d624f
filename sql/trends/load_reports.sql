-- A couple's load-share reports: one per partner per (UTC) day, the day's mean, oldest first.
SELECT partner_id, CAST(submitted_at AS DATE) AS day, avg(load_share) AS load_share
FROM checkins
WHERE couple_id = $couple_id AND load_share IS NOT NULL
GROUP BY partner_id, CAST(submitted_at AS DATE)
ORDER BY day, partner_id
