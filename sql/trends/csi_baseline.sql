-- Per partner of a couple: their first CSI-4 total and when it was given (the reliable-change
-- rings compare with it, whatever time range the chart shows).
SELECT partner_id, csi_total AS first_csi, submitted_at AS first_at
FROM (
    SELECT partner_id, csi_total, submitted_at,
           ROW_NUMBER() OVER (PARTITION BY partner_id ORDER BY submitted_at, id) AS n
    FROM checkins
    WHERE couple_id = $couple_id AND csi_total IS NOT NULL
) ordered
WHERE n = 1
