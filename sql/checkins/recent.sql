-- A couple's newest typed check-in rows with the partner's name, newest first.
-- The newest ids are found first and only those rows read whole: reading every column of all
-- the couple's check-ins to keep 40 cost twice as much at 850k check-ins (issue 6).
SELECT c.id, c.partner_id, p.name AS partner_name, p.position, c.submitted_at, c.period_on,
       c.csi_total, c.fairness_me, c.fairness_partner, c.heard, c.resentment, c.stress,
       c.work_hours, c.load_share, c.career_lead, c.last_decision, c.success_mean,
       c.safety_level, c.safety_flag
FROM checkins c
JOIN partners p ON p.id = c.partner_id
WHERE c.id IN (SELECT n.id FROM checkins n
               WHERE n.couple_id = $couple_id
               ORDER BY n.submitted_at DESC, n.id DESC
               LIMIT $limit)
ORDER BY c.submitted_at DESC, c.id DESC
