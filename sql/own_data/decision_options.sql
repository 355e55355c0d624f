-- Every option of one couple's decisions, in order, with what was written about it for one
-- partner (the partner at $position): its impact on their career, and their veto.
SELECT id, decision_id, position, label,
       CASE WHEN $position = 1 THEN impact_1 ELSE impact_2 END AS impact,
       CASE WHEN $position = 1 THEN veto_1 ELSE veto_2 END AS veto,
       CASE WHEN $position = 1 THEN veto_need_1 ELSE veto_need_2 END AS veto_need
FROM decision_options
WHERE couple_id = $couple_id
ORDER BY decision_id, position, id
