-- The submit/revoke/expiry state of one link and its couple's status (an archived couple's
-- links take no answers), read inside a write so a race cannot slip past; with its token's hash
-- (a save checks the link is still the token's) and when it was started.
SELECT l.submitted_at, l.revoked_at, l.expires_at, l.started_at, l.token_hash,
       c.status AS couple_status
FROM links l
JOIN couples c ON c.id = l.couple_id
WHERE l.id = $link_id
