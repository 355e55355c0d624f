-- Per partner of every couple in scope (a counselor's, or the practice's, or one $couple_id):
-- last check-in, the two newest CSI-4 totals and the mean of the first three of the last 26
-- weeks with the partner's CSI-4 noise (RMSSD),
-- resentment over the last 6 check-ins, the 8-week mean of the home load, how far the partner's
-- guesses of how fair things feel to the other were from what the other said, period by period,
-- over 8 weeks, decisions and counselor-only safety answers in recent weeks. Aggregated in SQL:
-- no query per couple.
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
),
-- Each partner's fairness answers in the last 8 weeks, per check-in period: the schedule's
-- (period_on), or for a check-in sent without one the week (from Monday) it was sent in; a
-- partner's answers within one period are averaged.
fairness_periods AS (
    SELECT s.couple_id, ch.partner_id,
           COALESCE(ch.period_on, CAST(date_trunc('week', ch.submitted_at) AS DATE)) AS period,
           avg(ch.fairness_me) AS felt, avg(ch.fairness_partner) AS guess
    FROM checkins ch
    JOIN scope s ON s.partner_id = ch.partner_id
    WHERE ch.submitted_at >= $since_8w
    GROUP BY s.couple_id, ch.partner_id,
             COALESCE(ch.period_on, CAST(date_trunc('week', ch.submitted_at) AS DATE))
),
-- A partner's guess of how fair it feels to the other beside what the other said in the same
-- period, newest period first. Compared pair by pair, not as two 8-week means: guesses off in
-- opposite directions (4 for a 10, then 7 for a 1) averaged 5.5 and 5.5, and hid the gap.
guesses AS (
    SELECT g.partner_id, g.guess, f.felt,
           ROW_NUMBER() OVER (PARTITION BY g.partner_id ORDER BY g.period DESC) AS rn
    FROM fairness_periods g
    JOIN fairness_periods f
      ON f.couple_id = g.couple_id AND f.period = g.period AND f.partner_id <> g.partner_id
    WHERE g.guess IS NOT NULL AND f.felt IS NOT NULL
),
guess_gaps AS (
    SELECT partner_id,
           count(*) AS guess_periods_8w,
           avg(abs(guess - felt)) AS guess_gap_8w,
           max(CASE WHEN rn = 1 THEN guess END) AS guess_latest,
           max(CASE WHEN rn = 1 THEN felt END) AS felt_latest
    FROM guesses
    GROUP BY partner_id
),
signals AS (
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
)
SELECT sg.*, gg.guess_periods_8w, gg.guess_gap_8w, gg.guess_latest, gg.felt_latest
FROM signals sg
LEFT JOIN guess_gaps gg ON gg.partner_id = sg.partner_id
ORDER BY sg.couple_id, sg.position
