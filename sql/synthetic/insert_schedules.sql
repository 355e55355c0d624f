-- Store many couples' check-in schedules (synthetic practice): parallel lists per column.
INSERT INTO checkin_schedules (couple_id, cadence, anchor_on, timezone, updated_by, updated_at)
SELECT unnest(CAST($couple_id AS INTEGER[])), unnest(CAST($cadence AS VARCHAR[])),
       unnest(CAST($anchor_on AS DATE[])), unnest(CAST($timezone AS VARCHAR[])),
       unnest(CAST($updated_by AS INTEGER[])), unnest(CAST($updated_at AS TIMESTAMP[]))
