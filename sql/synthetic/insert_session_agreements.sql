-- Record which agreements many sessions discussed (synthetic practice): parallel lists.
INSERT INTO session_agreements (session_id, agreement_id, couple_id)
SELECT unnest(CAST($session_id AS INTEGER[])), unnest(CAST($agreement_id AS INTEGER[])),
       unnest(CAST($couple_id AS INTEGER[]))
