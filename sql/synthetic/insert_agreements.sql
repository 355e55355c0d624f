-- Store many agreements under reserved ids (synthetic practice): parallel lists.
INSERT INTO agreements (id, couple_id, created_by, created_at)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($created_by AS INTEGER[])), unnest(CAST($created_at AS TIMESTAMP[]))
