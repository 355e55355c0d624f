-- Store many typed check-in rows under reserved ids, each naming its (reserved) link id.
INSERT INTO checkins (id, couple_id, partner_id, link_id, submitted_at, period_on, csi_total,
                      fairness_me, fairness_partner, heard, resentment, stress, work_hours,
                      household_share, mental_load_share, load_share, career_lead,
                      last_decision, success_mean, safety_level, safety_flag)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($partner_id AS INTEGER[])), unnest(CAST($link_id AS INTEGER[])),
       unnest(CAST($submitted_at AS TIMESTAMP[])), unnest(CAST($period_on AS DATE[])),
       unnest(CAST($csi_total AS SMALLINT[])), unnest(CAST($fairness_me AS SMALLINT[])),
       unnest(CAST($fairness_partner AS SMALLINT[])), unnest(CAST($heard AS SMALLINT[])),
       unnest(CAST($resentment AS SMALLINT[])), unnest(CAST($stress AS SMALLINT[])),
       unnest(CAST($work_hours AS DOUBLE PRECISION[])),
       unnest(CAST($household_share AS SMALLINT[])),
       unnest(CAST($mental_load_share AS SMALLINT[])),
       unnest(CAST($load_share AS DOUBLE PRECISION[])), unnest(CAST($career_lead AS VARCHAR[])),
       unnest(CAST($last_decision AS VARCHAR[])),
       unnest(CAST($success_mean AS DOUBLE PRECISION[])),
       unnest(CAST($safety_level AS SMALLINT[])), unnest(CAST($safety_flag AS BOOLEAN[]))
