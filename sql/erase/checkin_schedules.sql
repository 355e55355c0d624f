-- Erase a couple's check-in schedule.
DELETE FROM checkin_schedules WHERE couple_id = $couple_id
