-- Store many seasons (synthetic practice): parallel lists per column.
INSERT INTO seasons (couple_id, title, lead_partner_id, starts_on, ends_on, terms, review_on,
                     created_by, created_at, updated_at)
SELECT unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($title AS VARCHAR[])),
       unnest(CAST($lead_partner_id AS INTEGER[])), unnest(CAST($starts_on AS DATE[])),
       unnest(CAST($ends_on AS DATE[])), unnest(CAST($terms AS VARCHAR[])),
       unnest(CAST($review_on AS DATE[])), unnest(CAST($created_by AS INTEGER[])),
       unnest(CAST($created_at AS TIMESTAMP[])), unnest(CAST($created_at AS TIMESTAMP[]))
