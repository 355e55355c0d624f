-- The submit/revoke/expiry state of one link, read inside a write so a race cannot slip past.
SELECT submitted_at, revoked_at, expires_at FROM links WHERE id = $link_id
