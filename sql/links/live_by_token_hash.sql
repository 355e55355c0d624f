-- What a draft and a saved answer need of the link a token hash names, with its couple's
-- status (an archived couple's links take no answers): sql/links/by_token_hash.sql without the
-- partner's name. The link is found on its own first, so DuckDB uses the token_hash index.
SELECT l.id, l.couple_id, l.partner_id, l.instrument_id, l.instrument_version, l.token_hash,
       l.expires_at, l.started_at, l.submitted_at, l.revoked_at, l.decision_id,
       c.status AS couple_status
FROM (SELECT id, couple_id, partner_id, instrument_id, instrument_version, token_hash,
             expires_at, started_at, submitted_at, revoked_at, decision_id
      FROM links
      WHERE token_hash = $token_hash) l
JOIN couples c ON c.id = l.couple_id
