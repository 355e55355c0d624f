-- Each couple's raw equity balance on $today and 91 and 182 days before (core/equity.py's
-- model as geometric sums), for every couple of a counselor or the practice, in one query.
-- Day numbers count from 1970-01-01; $decay and the weights come from core.equity.
WITH scope AS (
    SELECT c.id AS couple_id, p1.id AS first_id, p2.id AS second_id
    FROM couples c
    JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
    JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2
    WHERE ($whole_practice OR c.counselor_id = $counselor_id)
      AND ($couple_id IS NULL OR c.id = $couple_id)
),
moments AS (
    SELECT b.back, (CAST($today AS DATE) - DATE '1970-01-01') - b.back AS t
    FROM (SELECT 0 AS back UNION ALL SELECT 91 UNION ALL SELECT 182) b
),
season_spans AS (
    SELECT sc.couple_id, m.back, m.t,
           CASE WHEN s.lead_partner_id = sc.second_id THEN 1.0
                WHEN s.lead_partner_id = sc.first_id THEN -1.0 ELSE 0.0 END AS sign,
           s.starts_on - DATE '1970-01-01' AS a,
           LEAST(COALESCE(s.ends_on - DATE '1970-01-01', m.t), m.t) AS b
    FROM seasons s
    JOIN scope sc ON sc.couple_id = s.couple_id
    CROSS JOIN moments m
    WHERE s.lead_partner_id IS NOT NULL
),
daily_load AS (
    SELECT ch.couple_id, ch.partner_id,
           CAST(ch.submitted_at AS DATE) - DATE '1970-01-01' AS n, avg(ch.load_share) AS share
    FROM checkins ch
    JOIN scope sc ON sc.couple_id = ch.couple_id
    WHERE ch.load_share IS NOT NULL
    GROUP BY ch.couple_id, ch.partner_id, CAST(ch.submitted_at AS DATE)
),
load_reports AS (
    SELECT d.couple_id, d.n AS a, d.share,
           CASE WHEN d.partner_id = sc.first_id THEN 1.0
                WHEN d.partner_id = sc.second_id THEN -1.0 ELSE 0.0 END AS sign,
           LEAST(d.n + $stands_days - 1,
                 COALESCE(LEAD(d.n) OVER (PARTITION BY d.partner_id ORDER BY d.n) - 1,
                          d.n + $stands_days - 1)) AS last_n
    FROM daily_load d
    JOIN scope sc ON sc.couple_id = d.couple_id
),
load_spans AS (
    SELECT l.couple_id, m.back, m.t, l.sign, l.share, l.a, LEAST(l.last_n, m.t) AS b
    FROM load_reports l
    CROSS JOIN moments m
),
parts AS (
    SELECT couple_id, back,
           sign * $season_per_day * POWER($decay, t - b)
               * (1 - POWER($decay, b - a + 1)) / (1 - $decay) AS v
    FROM season_spans
    WHERE b >= a
    UNION ALL
    SELECT sc.couple_id, m.back,
           CASE WHEN e.giver_partner_id = sc.first_id THEN 1.0
                WHEN e.giver_partner_id = sc.second_id THEN -1.0 ELSE 0.0 END
           * CASE e.size WHEN 1 THEN $small WHEN 2 THEN $medium ELSE $large END
           * POWER($decay, m.t - (e.occurred_on - DATE '1970-01-01')) AS v
    FROM ledger_events e
    JOIN scope sc ON sc.couple_id = e.couple_id
    CROSS JOIN moments m
    WHERE e.occurred_on - DATE '1970-01-01' <= m.t
    UNION ALL
    SELECT couple_id, back,
           sign * ((share - 50.0) / 50.0) * $load_per_day * POWER($decay, t - b)
               * (1 - POWER($decay, b - a + 1)) / (1 - $decay) AS v
    FROM load_spans
    WHERE b >= a
)
SELECT sc.couple_id,
       COALESCE(sum(CASE WHEN p.back = 0 THEN p.v END), 0) AS raw_now,
       COALESCE(sum(CASE WHEN p.back = 91 THEN p.v END), 0) AS raw_13w,
       COALESCE(sum(CASE WHEN p.back = 182 THEN p.v END), 0) AS raw_26w
FROM scope sc
LEFT JOIN parts p ON p.couple_id = sc.couple_id
GROUP BY sc.couple_id
