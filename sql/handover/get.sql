-- The hand-over a sign-in is locked to, with the partner's name, the link's state and the
-- password box's wrong tries, or nothing.
SELECT h.auth_session_id, h.counselor_id, h.couple_id, h.partner_id, h.link_id, h.started_at,
       h.end_failures, h.end_failed_at, h.end_paused_until,
       p.name AS partner_name, l.submitted_at, l.revoked_at, l.expires_at
FROM handovers h
JOIN partners p ON p.id = h.partner_id
JOIN links l ON l.id = h.link_id
WHERE h.auth_session_id = $auth_session_id
