-- One partner's check-ins as the figures worked out when each was sent, oldest first.
SELECT id, link_id, submitted_at, period_on, csi_total, fairness_me, load_share, success_mean
FROM checkins
WHERE couple_id = $couple_id AND partner_id = $partner_id
ORDER BY submitted_at, id
