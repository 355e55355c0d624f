-- Every row of table session_links that belongs to one couple (full-record export).
SELECT * FROM session_links WHERE couple_id = $couple_id ORDER BY session_id, link_id
