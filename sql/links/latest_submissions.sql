-- Each partner's newest submitted link of each of $instrument_ids for one couple, one row per
-- saved answer (item_id NULL when the link has none): the Questionnaires page in one query.
WITH latest AS (
    SELECT l.id, l.partner_id, l.instrument_id, l.instrument_version, l.submitted_at,
           ROW_NUMBER() OVER (PARTITION BY l.partner_id, l.instrument_id
                              ORDER BY l.submitted_at DESC, l.id DESC) AS rn
    FROM links l
    WHERE l.couple_id = $couple_id AND l.submitted_at IS NOT NULL
      AND l.instrument_id = ANY($instrument_ids)
)
SELECT t.instrument_id, t.partner_id, t.id AS link_id, t.instrument_version, t.submitted_at,
       a.item_id, a.value_json
FROM latest t
LEFT JOIN answers a ON a.link_id = t.id
WHERE t.rn = 1
ORDER BY t.instrument_id, t.partner_id, a.item_id
