-- The standing check-in link a token hash names, with its partner's first name, or nothing.
-- The link is found on its own before the join, so DuckDB uses the token_hash index (as in
-- sql/links/by_token_hash.sql).
SELECT s.id, s.couple_id, s.partner_id, s.token_hash, s.created_by, s.created_at,
       s.expires_at, s.last_opened_at, s.revoked_at, p.name AS partner_name,
       c.status AS couple_status
FROM (SELECT id, couple_id, partner_id, token_hash, created_by, created_at, expires_at,
             last_opened_at, revoked_at
      FROM standing_links
      WHERE token_hash = $token_hash) s
JOIN partners p ON p.id = s.partner_id
JOIN couples c ON c.id = s.couple_id
