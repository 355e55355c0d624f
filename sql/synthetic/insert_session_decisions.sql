-- Record which decisions many sessions discussed (synthetic practice): parallel lists.
INSERT INTO session_decisions (session_id, decision_id, couple_id)
SELECT unnest(CAST($session_id AS INTEGER[])), unnest(CAST($decision_id AS INTEGER[])),
       unnest(CAST($couple_id AS INTEGER[]))
