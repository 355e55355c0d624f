-- Set a couple's check-in schedule (one row per couple; a second call replaces it).
INSERT INTO checkin_schedules (couple_id, cadence, anchor_on, timezone, updated_by, updated_at)
VALUES ($couple_id, $cadence, $anchor_on, $timezone, $updated_by, $now)
ON CONFLICT (couple_id) DO UPDATE
SET cadence = excluded.cadence, anchor_on = excluded.anchor_on, timezone = excluded.timezone,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at
