-- A couple's check-in schedule (cadence, anchor date, time zone), or nothing.
SELECT couple_id, cadence, anchor_on, timezone, updated_by, updated_at, since
FROM checkin_schedules
WHERE couple_id = $couple_id
