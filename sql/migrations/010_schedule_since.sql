-- When a couple's check-in cadence and first day took effect. Periods that ended before it were
-- never asked for under that schedule, so they are not missed: switching monthly to every two
-- weeks made both partners "overdue, due 14 days ago" at once. Schedules set before this
-- migration keep their history (NULL: counted from their first day, as before).
ALTER TABLE checkin_schedules ADD COLUMN since TIMESTAMP;
