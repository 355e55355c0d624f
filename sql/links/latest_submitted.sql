-- The newest submitted link of each partner of a couple for one instrument.
SELECT l.id, l.partner_id, l.submitted_at, l.instrument_version
FROM links l
WHERE l.couple_id = $couple_id AND l.instrument_id = $instrument_id
  AND l.submitted_at IS NOT NULL
  AND l.submitted_at = (SELECT max(l2.submitted_at) FROM links l2
                        WHERE l2.couple_id = l.couple_id AND l2.partner_id = l.partner_id
                          AND l2.instrument_id = l.instrument_id)
