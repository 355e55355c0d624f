-- The audit trail's entries about one couple (who looked at or changed their data, when).
SELECT * FROM audit_log WHERE couple_ref = $couple_id ORDER BY id
