-- Store many decision records under reserved ids (synthetic practice): parallel lists.
INSERT INTO decisions (id, couple_id, title, kind, status, facts, deadline_on, urgency,
                       urgency_note, outcome, chosen_option_id, decided_on, follow_up_on,
                       created_at, updated_at)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($title AS VARCHAR[])), unnest(CAST($kind AS VARCHAR[])),
       unnest(CAST($status AS VARCHAR[])), unnest(CAST($facts AS VARCHAR[])),
       unnest(CAST($deadline_on AS DATE[])), unnest(CAST($urgency AS VARCHAR[])),
       unnest(CAST($urgency_note AS VARCHAR[])), unnest(CAST($outcome AS VARCHAR[])),
       unnest(CAST($chosen_option_id AS INTEGER[])), unnest(CAST($decided_on AS DATE[])),
       unnest(CAST($follow_up_on AS DATE[])), unnest(CAST($created_at AS TIMESTAMP[])),
       unnest(CAST($updated_at AS TIMESTAMP[]))
