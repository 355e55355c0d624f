-- Record the exercises many sessions gave as homework (synthetic practice): parallel lists.
INSERT INTO session_homework (session_id, instrument_id, couple_id, assigned_at)
SELECT unnest(CAST($session_id AS INTEGER[])), unnest(CAST($instrument_id AS VARCHAR[])),
       unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($assigned_at AS TIMESTAMP[]))
