-- Store many agreement versions (synthetic practice): parallel lists per column.
INSERT INTO agreement_versions (agreement_id, couple_id, version, title, body, kind, status,
                                exit_plan, review_on, confirmed_on, change_note, edited_by,
                                edited_at)
SELECT unnest(CAST($agreement_id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($version AS INTEGER[])), unnest(CAST($title AS VARCHAR[])),
       unnest(CAST($body AS VARCHAR[])), unnest(CAST($kind AS VARCHAR[])),
       unnest(CAST($status AS VARCHAR[])), unnest(CAST($exit_plan AS VARCHAR[])),
       unnest(CAST($review_on AS DATE[])), unnest(CAST($confirmed_on AS DATE[])),
       unnest(CAST($change_note AS VARCHAR[])), unnest(CAST($edited_by AS INTEGER[])),
       unnest(CAST($edited_at AS TIMESTAMP[]))
