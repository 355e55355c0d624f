-- Store many roadmap events (synthetic practice): parallel lists per column.
INSERT INTO roadmap_events (couple_id, partner_id, category, title, starts_on, ends_on, note,
                            created_at, updated_at)
SELECT unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($partner_id AS INTEGER[])),
       unnest(CAST($category AS VARCHAR[])), unnest(CAST($title AS VARCHAR[])),
       unnest(CAST($starts_on AS DATE[])), unnest(CAST($ends_on AS DATE[])),
       unnest(CAST($note AS VARCHAR[])), unnest(CAST($created_at AS TIMESTAMP[])),
       unnest(CAST($created_at AS TIMESTAMP[]))
