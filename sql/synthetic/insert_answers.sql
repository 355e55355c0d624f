-- Store many answers of questionnaire and homework links (synthetic practice): parallel lists.
INSERT INTO answers (link_id, couple_id, partner_id, item_id, value_json, updated_at)
SELECT unnest(CAST($link_id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($partner_id AS INTEGER[])), unnest(CAST($item_id AS VARCHAR[])),
       unnest(CAST($value_json AS VARCHAR[])), unnest(CAST($updated_at AS TIMESTAMP[]))
