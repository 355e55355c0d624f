-- Store many couples under the ids reserved for them (synthetic practice): parallel lists.
INSERT INTO couples (id, counselor_id, status, notes, created_at, updated_at, archived_at)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($counselor_id AS INTEGER[])),
       unnest(CAST($status AS VARCHAR[])), unnest(CAST($notes AS VARCHAR[])),
       unnest(CAST($created_at AS TIMESTAMP[])), unnest(CAST($updated_at AS TIMESTAMP[])),
       unnest(CAST($archived_at AS TIMESTAMP[]))
