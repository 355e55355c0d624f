-- Set a couple's check-in schedule (one row per couple; a second call replaces it). `since`
-- moves to $now only when the cadence or the first day changes (a new time zone keeps it).
INSERT INTO checkin_schedules (couple_id, cadence, anchor_on, timezone, updated_by, updated_at,
                               since)
VALUES ($couple_id, $cadence, $anchor_on, $timezone, $updated_by, $now, $now)
ON CONFLICT (couple_id) DO UPDATE
SET cadence = excluded.cadence, anchor_on = excluded.anchor_on, timezone = excluded.timezone,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at,
    since = CASE WHEN checkin_schedules.cadence = excluded.cadence
                  AND checkin_schedules.anchor_on = excluded.anchor_on
                 THEN checkin_schedules.since ELSE excluded.since END
