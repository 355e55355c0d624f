-- A couple's typed check-in rows for the full-record export, oldest first.
SELECT id, couple_id, partner_id, link_id, submitted_at, period_on, csi_total, fairness_me,
       fairness_partner, heard, resentment, stress, work_hours, household_share,
       mental_load_share, load_share, career_lead, last_decision, success_mean, safety_level,
       safety_flag
FROM checkins
WHERE couple_id = $couple_id
ORDER BY submitted_at, id
