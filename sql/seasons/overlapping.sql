-- The first other season of a couple that shares a day with [$starts_on, $ends_on] (an open
-- end runs forever), or nothing. $season_id is the season being edited (NULL for a new one).
SELECT id, title, lead_partner_id, starts_on, ends_on
FROM seasons
WHERE couple_id = $couple_id
  AND ($season_id IS NULL OR id <> $season_id)
  AND starts_on <= COALESCE(CAST($ends_on AS DATE), DATE '9999-12-31')
  AND COALESCE(ends_on, DATE '9999-12-31') >= CAST($starts_on AS DATE)
ORDER BY starts_on, id
LIMIT 1
