-- Store the typed row of one submitted check-in; returns its id.
INSERT INTO checkins (couple_id, partner_id, link_id, submitted_at, period_on, csi_total,
                      fairness_me, fairness_partner, heard, resentment, stress, work_hours,
                      household_share, mental_load_share, load_share, career_lead,
                      last_decision, success_mean, safety_level, safety_flag)
VALUES ($couple_id, $partner_id, $link_id, $submitted_at, $period_on, $csi_total,
        $fairness_me, $fairness_partner, $heard, $resentment, $stress, $work_hours,
        $household_share, $mental_load_share, $load_share, $career_lead,
        $last_decision, $success_mean, $safety_level, $safety_flag)
RETURNING id
