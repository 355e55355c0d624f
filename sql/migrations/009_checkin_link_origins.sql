-- Which standing link made each period check-in link, and which check-in links a hand-over made,
-- so that stopping or replacing a partner's standing link also stops the period's check-in it
-- opened (its token is derived from the standing token: core/checkins.py), a new standing link
-- continues the replaced one's unsent answers, and a hand-over restarted in the same period
-- continues the partner's unsent hand-over answers.
ALTER TABLE links ADD COLUMN standing_link_id INTEGER;  -- the standing link of a period link
ALTER TABLE links ADD COLUMN origin VARCHAR;            -- 'period', 'handover', or NULL (ordinary)

-- The hand-over box's own limit on wrong passwords (core/checkins.py), apart from the account's
-- sign-in pause, so a partner holding the device cannot pause the counselor's account.
ALTER TABLE handovers ADD COLUMN end_failures INTEGER DEFAULT 0;
ALTER TABLE handovers ADD COLUMN end_failed_at TIMESTAMP;
ALTER TABLE handovers ADD COLUMN end_paused_until TIMESTAMP;

-- Earlier check-in links: a hand-over's lasted exactly 12 hours. A check-in sent from the
-- Questionnaires page lasted a whole number of days from the moment it was made: it stays an
-- ordinary link. The others were period links, made by the partner's standing link that was
-- live when they were created (they end at a period's end, a local midnight, plus some slack).
UPDATE links SET origin = 'handover'
WHERE instrument_id = 'checkin'
  AND (id IN (SELECT link_id FROM handovers) OR expires_at = created_at + INTERVAL '12 hours');
UPDATE links SET origin = 'period',
       standing_link_id = (SELECT max(s.id) FROM standing_links s
                           WHERE s.partner_id = links.partner_id
                             AND s.created_at <= links.created_at
                             AND (s.revoked_at IS NULL OR s.revoked_at > links.created_at))
WHERE instrument_id = 'checkin' AND origin IS NULL
  AND CAST(EXTRACT(EPOCH FROM (expires_at - created_at)) AS BIGINT) % 86400 <> 0;

-- Period links whose standing link was already stopped or replaced stop now, as they would have.
UPDATE links SET revoked_at = (SELECT s.revoked_at FROM standing_links s
                               WHERE s.id = links.standing_link_id),
                 revoked_reason = (SELECT s.revoked_reason FROM standing_links s
                                   WHERE s.id = links.standing_link_id)
WHERE origin = 'period' AND submitted_at IS NULL AND revoked_at IS NULL
  AND standing_link_id IN (SELECT id FROM standing_links WHERE revoked_at IS NOT NULL);
