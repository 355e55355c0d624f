-- Store many sessions under reserved ids, with focus, takeaways and notes (synthetic practice).
INSERT INTO couple_sessions (id, couple_id, held_on, focus, takeaways, notes, created_by,
                             created_at, updated_at)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($held_on AS DATE[])), unnest(CAST($focus AS VARCHAR[])),
       unnest(CAST($takeaways AS VARCHAR[])), unnest(CAST($notes AS VARCHAR[])),
       unnest(CAST($created_by AS INTEGER[])), unnest(CAST($created_at AS TIMESTAMP[])),
       unnest(CAST($created_at AS TIMESTAMP[]))
