-- Every item's answer (JSON text) behind each check-in whose link id is in [$first_id,
-- $last_id], derived from its typed row so they score back to it exactly: the CSI-4 total
-- spread over its four items (0-6, 0-5, 0-5, 0-5) and the indicators' mean (sevenths) over
-- the seven 1-5 items. Saved a few seconds apart before the submission.
INSERT INTO answers (link_id, couple_id, partner_id, item_id, value_json, updated_at)
SELECT d.link_id, d.couple_id, d.partner_id, i.item_id,
       CASE i.item_id
         WHEN 'csi4_happiness' THEN CAST(d.f6 + CASE WHEN d.rest >= 1 THEN 1 ELSE 0 END AS VARCHAR)
         WHEN 'csi4_warm' THEN CAST(d.f5 + CASE WHEN d.rest >= 2 THEN 1 ELSE 0 END AS VARCHAR)
         WHEN 'csi4_rewarding' THEN CAST(d.f5 + CASE WHEN d.rest >= 3 THEN 1 ELSE 0 END AS VARCHAR)
         WHEN 'csi4_satisfied' THEN CAST(d.f5 AS VARCHAR)
         WHEN 'fairness_me' THEN CAST(d.fairness_me AS VARCHAR)
         WHEN 'fairness_partner' THEN CAST(d.fairness_partner AS VARCHAR)
         WHEN 'heard' THEN CAST(d.heard AS VARCHAR)
         WHEN 'resentment' THEN CAST(d.resentment AS VARCHAR)
         WHEN 'stress' THEN CAST(d.stress AS VARCHAR)
         WHEN 'work_hours' THEN
           CASE WHEN d.work_hours = floor(d.work_hours)
                THEN CAST(CAST(d.work_hours AS INTEGER) AS VARCHAR)
                ELSE CAST(d.work_hours AS VARCHAR) END
         WHEN 'household_share' THEN CAST(d.household_share AS VARCHAR)
         WHEN 'mental_load_share' THEN CAST(d.mental_load_share AS VARCHAR)
         WHEN 'career_lead' THEN '"' || d.career_lead || '"'
         WHEN 'last_decision' THEN '"' || d.last_decision || '"'
         WHEN 'safety_afraid' THEN CAST(d.safety_level AS VARCHAR)
         ELSE CAST(d.units_base + CASE WHEN i.ord - 15 < d.units_extra THEN 1 ELSE 0 END
                   AS VARCHAR)
       END,
       d.submitted_at - (30 - i.ord) * INTERVAL '10 seconds'
FROM (
    SELECT ch.link_id, ch.couple_id, ch.partner_id, ch.submitted_at, ch.fairness_me,
           ch.fairness_partner, ch.heard, ch.resentment, ch.stress, ch.work_hours,
           ch.household_share, ch.mental_load_share, ch.career_lead, ch.last_decision,
           ch.safety_level,
           CAST(floor(ch.csi_total * 6 / 21.0) AS INTEGER) AS f6,
           CAST(floor(ch.csi_total * 5 / 21.0) AS INTEGER) AS f5,
           ch.csi_total - CAST(floor(ch.csi_total * 6 / 21.0) AS INTEGER)
             - 3 * CAST(floor(ch.csi_total * 5 / 21.0) AS INTEGER) AS rest,
           CAST(floor(round(ch.success_mean * 7) / 7.0) AS INTEGER) AS units_base,
           CAST(round(ch.success_mean * 7) AS INTEGER)
             - 7 * CAST(floor(round(ch.success_mean * 7) / 7.0) AS INTEGER) AS units_extra
    FROM checkins ch
    WHERE ch.link_id BETWEEN $first_id AND $last_id
) d
CROSS JOIN (VALUES ('csi4_happiness', 1), ('csi4_warm', 2), ('csi4_rewarding', 3),
                   ('csi4_satisfied', 4), ('fairness_me', 5), ('fairness_partner', 6),
                   ('heard', 7), ('resentment', 8), ('stress', 9), ('work_hours', 10),
                   ('household_share', 11), ('mental_load_share', 12), ('career_lead', 13),
                   ('last_decision', 14), ('ind_valued_equally', 15),
                   ('ind_decide_together', 16), ('ind_wins_shared', 17),
                   ('ind_support_reciprocal', 18), ('ind_both_growing', 19),
                   ('ind_balance_fits', 20), ('ind_shared_vision', 21),
                   ('safety_afraid', 22)) AS i(item_id, ord)
