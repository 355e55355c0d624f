-- A couple's check-ins averaged per partner per $bucket ('week' or 'month') in [$start, $end)
-- (UTC bounds), each check-in in the bucket of its day on the wall clock of $zone (the reader's:
-- a Sunday-evening check-in in Chicago is Monday in UTC, and fell in the next week's bucket).
SELECT partner_id,
       date_trunc($bucket, (submitted_at AT TIME ZONE 'UTC') AT TIME ZONE $zone) AS bucket,
       count(*) AS checkins,
       avg(csi_total) AS csi_total, avg(fairness_me) AS fairness_me,
       avg(fairness_partner) AS fairness_partner, avg(heard) AS heard,
       avg(resentment) AS resentment, avg(stress) AS stress, avg(load_share) AS load_share,
       max(CASE WHEN safety_flag THEN 1 ELSE 0 END) AS safety
FROM checkins
WHERE couple_id = $couple_id AND submitted_at >= $start AND submitted_at < $end
GROUP BY partner_id, date_trunc($bucket, (submitted_at AT TIME ZONE 'UTC') AT TIME ZONE $zone)
ORDER BY bucket, partner_id
