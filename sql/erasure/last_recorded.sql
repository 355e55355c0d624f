-- When anything was last recorded for one couple: the couple itself (added, changed, archived)
-- and what sql/retention/due.sql counts (a session, check-in, link, ledger event, season,
-- roadmap entry, decision or agreement version). Inside the retention period while this is
-- more recent than the period (core/erasure.py).
WITH activity (happened) AS (
    SELECT updated_at FROM couple_sessions WHERE couple_id = $couple_id
    UNION ALL SELECT CAST(held_on AS TIMESTAMP) FROM couple_sessions WHERE couple_id = $couple_id
    UNION ALL SELECT submitted_at FROM checkins WHERE couple_id = $couple_id
    UNION ALL SELECT created_at FROM links WHERE couple_id = $couple_id
    UNION ALL SELECT submitted_at FROM links WHERE couple_id = $couple_id
    UNION ALL SELECT updated_at FROM ledger_events WHERE couple_id = $couple_id
    UNION ALL SELECT updated_at FROM seasons WHERE couple_id = $couple_id
    UNION ALL SELECT updated_at FROM roadmap_events WHERE couple_id = $couple_id
    UNION ALL SELECT updated_at FROM decisions WHERE couple_id = $couple_id
    UNION ALL SELECT edited_at FROM agreement_versions WHERE couple_id = $couple_id
    UNION ALL SELECT created_at FROM couples WHERE id = $couple_id
    UNION ALL SELECT updated_at FROM couples WHERE id = $couple_id
    UNION ALL SELECT archived_at FROM couples WHERE id = $couple_id
)
SELECT max(happened) AS last_recorded FROM activity
