-- Record the homework links made for many sessions (synthetic practice): parallel lists.
INSERT INTO session_links (session_id, link_id, couple_id)
SELECT unnest(CAST($session_id AS INTEGER[])), unnest(CAST($link_id AS INTEGER[])),
       unnest(CAST($couple_id AS INTEGER[]))
