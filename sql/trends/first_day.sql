-- The first day a couple has any check-in (its day on the wall clock of $zone), season or ledger
-- event (for the "All" range).
SELECT min(d) AS first_day FROM (
    SELECT CAST(min((submitted_at AT TIME ZONE 'UTC') AT TIME ZONE $zone) AS DATE) AS d
    FROM checkins WHERE couple_id = $couple_id
    UNION ALL SELECT min(starts_on) FROM seasons WHERE couple_id = $couple_id
    UNION ALL SELECT min(occurred_on) FROM ledger_events WHERE couple_id = $couple_id
) firsts
