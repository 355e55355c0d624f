-- Per partner of every couple in scope (a counselor's, or the practice's, or one $couple_id):
-- last check-in, the two newest CSI-4 totals and the mean of the first three of the last 26
-- weeks with the partner's CSI-4 noise (RMSSD),
-- resentment over the last 6 check-ins, 8-week means of fairness and load, decisions and
-- counselor-only safety answers in recent weeks. Aggregated in SQL: no query per couple.
WITH scope AS (
    SELECT c.id AS couple_id, p.id AS partner_id, p.position, p.name
    FROM couples c
    JOIN partners p ON p.couple_id = c.id
    WHERE ($whole_practice OR c.counselor_id = $counselor_id)
      AND ($couple_id IS NULL OR c.id = $couple_id)
),
ranked AS (
    SELECT ch.partner_id, ch.submitted_at, ch.csi_total, ch.resentment, ch.fairness_me,
           ch.fairness_partner, ch.load_share, ch.last_decision, ch.safety_flag,
           ch.safety_level,
           CAST(CAST(ch.submitted_at AS DATE) - DATE '1970-01-01' AS DOUBLE PRECISION) AS day_n,
           -- Every window orders a partner's check-ins newest first, so they share one sort
           -- (three orderings took three sorts of every check-in in scope: issue 6).
           ROW_NUMBER() OVER (PARTITION BY ch.partner_id
                              ORDER BY ch.submitted_at DESC, ch.id DESC) AS rn,
           count(*) OVER (PARTITION BY ch.partner_id) AS total,
           count(CASE WHEN ch.submitted_at >= $since_26w AND ch.csi_total IS NOT NULL THEN 1 END)
             OVER (PARTITION BY ch.partner_id) AS window_n,
           count(CASE WHEN ch.submitted_at >= $since_26w AND ch.csi_total IS NOT NULL THEN 1 END)
             OVER (PARTITION BY ch.partner_id ORDER BY ch.submitted_at DESC, ch.id DESC
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS window_from_newest,
           ch.csi_total - LEAD(ch.csi_total) OVER (PARTITION BY ch.partner_id
                                                   ORDER BY ch.submitted_at DESC, ch.id DESC)
             AS csi_step
    FROM checkins ch
    JOIN scope s ON s.partner_id = ch.partner_id
)
SELECT s.couple_id, s.partner_id, s.position, s.name,
       count(r.submitted_at) AS checkins,
       max(r.submitted_at) AS last_at,
       max(CASE WHEN r.rn = 1 THEN r.csi_total END) AS csi_latest,
       max(CASE WHEN r.rn = 2 THEN r.csi_total END) AS csi_previous,
       max(CASE WHEN r.rn = 2 THEN r.submitted_at END) AS csi_previous_at,
       -- The first three of the 26 weeks: the oldest three counted from the newest.
       avg(CASE WHEN r.submitted_at >= $since_26w AND r.csi_total IS NOT NULL
                     AND r.window_from_newest > r.window_n - 3
                THEN r.csi_total END) AS csi_earlier,
       min(CASE WHEN r.submitted_at >= $since_26w AND r.csi_total IS NOT NULL
                THEN r.submitted_at END) AS csi_earlier_at,
       count(CASE WHEN r.submitted_at >= $since_26w THEN r.csi_total END) AS csi_window_n,
       sqrt(avg(r.csi_step * r.csi_step)) AS csi_rmssd,
       count(r.csi_step) AS csi_steps,
       regr_slope(CASE WHEN r.submitted_at >= $since_90d THEN r.csi_total END,
                  CASE WHEN r.submitted_at >= $since_90d THEN r.day_n END) AS csi_slope_per_day,
       count(CASE WHEN r.submitted_at >= $since_90d THEN r.csi_total END) AS csi_n_90d,
       count(CASE WHEN r.rn <= $resentment_window THEN r.resentment END) AS resentment_n,
       regr_slope(CASE WHEN r.rn <= $resentment_window THEN r.resentment END,
                  CASE WHEN r.rn <= $resentment_window THEN r.day_n END) AS resentment_slope,
       max(CASE WHEN r.rn <= $resentment_window THEN r.day_n END)
         - min(CASE WHEN r.rn <= $resentment_window AND r.resentment IS NOT NULL
                    THEN r.day_n END) AS resentment_span_days,
       max(CASE WHEN r.rn = 1 THEN r.resentment END) AS resentment_latest,
       max(CASE WHEN r.rn = LEAST(r.total, $resentment_window) THEN r.resentment END)
         AS resentment_first,
       avg(CASE WHEN r.submitted_at >= $since_8w THEN r.fairness_me END) AS fairness_me_8w,
       avg(CASE WHEN r.submitted_at >= $since_8w THEN r.fairness_partner END)
         AS fairness_partner_8w,
       avg(CASE WHEN r.submitted_at >= $since_8w THEN r.load_share END) AS load_share_8w,
       count(CASE WHEN r.submitted_at >= $since_90d
                       AND r.last_decision IN ('mostly_me', 'mostly_partner') THEN 1 END)
         AS decided_alone,
       count(CASE WHEN r.submitted_at >= $since_90d AND r.last_decision = 'together'
                  THEN 1 END) AS decided_together,
       max(CASE WHEN r.safety_flag AND r.submitted_at >= $since_safety THEN r.submitted_at END)
         AS safety_at,
       max(CASE WHEN r.safety_flag AND r.submitted_at >= $since_safety THEN r.safety_level END)
         AS safety_level
FROM scope s
LEFT JOIN ranked r ON r.partner_id = s.partner_id
GROUP BY s.couple_id, s.partner_id, s.position, s.name
ORDER BY s.couple_id, s.position
