-- Caseload rows (one per couple, both partners side by side) for one counselor, or the
-- whole practice when $whole_practice; searched by $q, filtered by $status, sorted by $sort.
SELECT c.id, c.status, c.created_at, c.updated_at, c.archived_at,
       c.counselor_id, co.display_name AS counselor_name, co.active AS counselor_active,
       p1.name AS name_1, p2.name AS name_2,
       p1.occupation AS occupation_1, p2.occupation AS occupation_2,
       p1.city AS city_1, p2.city AS city_2,
       p1.country AS country_1, p2.country AS country_2
FROM couples c
JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2
JOIN counselors co ON co.id = c.counselor_id
WHERE ($whole_practice OR c.counselor_id = $counselor_id)
  AND ($status = 'all' OR c.status = $status)
  -- Accents do not matter: "zoe" finds Zoë, "ines" Inès, "lukasz" Łukasz, "soren" Søren.
  -- strip_accents is DuckDB's (a PostgreSQL backend would use unaccent(), its extension of the
  -- same name); it leaves letters that are not a letter plus an accent (ł, ø, đ, ß, æ), which
  -- replace() and translate() (both portable) fold the same way on both sides.
  AND ($q = '' OR strpos(
        translate(replace(replace(replace(strip_accents(lower(concat_ws(' ',
                    p1.name, p2.name, p1.occupation, p2.occupation, p1.industry, p2.industry,
                    p1.city, p2.city, p1.country, p2.country, co.display_name))),
                  'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'łøđħıŧ', 'lodhit'),
        translate(replace(replace(replace(strip_accents(lower($q)),
                  'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'łøđħıŧ', 'lodhit')) > 0)
ORDER BY CASE WHEN $sort = 'updated' THEN c.updated_at END DESC NULLS LAST,
         CASE WHEN $sort = 'created' THEN c.created_at END DESC NULLS LAST,
         lower(p1.name), lower(p2.name), c.id
LIMIT $limit
