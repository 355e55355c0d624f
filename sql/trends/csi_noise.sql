-- Per partner of a couple: the root mean square of successive CSI-4 differences and their count.
SELECT partner_id, sqrt(avg(step * step)) AS rmssd, count(step) AS steps
FROM (
    SELECT partner_id,
           csi_total - LAG(csi_total) OVER (PARTITION BY partner_id
                                            ORDER BY submitted_at, id) AS step
    FROM checkins
    WHERE couple_id = $couple_id AND csi_total IS NOT NULL
) d
GROUP BY partner_id
