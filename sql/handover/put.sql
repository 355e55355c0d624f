-- Lock one sign-in to a partner's hand-over check-in (a new hand-over replaces an old one, and
-- starts its password box's count of wrong tries afresh).
INSERT INTO handovers (auth_session_id, counselor_id, couple_id, partner_id, link_id, started_at,
                       end_failures, end_failed_at, end_paused_until)
VALUES ($auth_session_id, $counselor_id, $couple_id, $partner_id, $link_id, $now, 0, NULL, NULL)
ON CONFLICT (auth_session_id) DO UPDATE
SET counselor_id = excluded.counselor_id, couple_id = excluded.couple_id,
    partner_id = excluded.partner_id, link_id = excluded.link_id,
    started_at = excluded.started_at, end_failures = 0, end_failed_at = NULL,
    end_paused_until = NULL
