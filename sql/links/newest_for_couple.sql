-- Each partner's newest link per questionnaire (and per decision, for a decision's matrix) for
-- one couple (what the couple's overview shows), newest first, with the decision's title. The couple's links are found by a narrow first pass (ids, partner,
-- questionnaire, date) and only the newest are read whole: the couple's links lie scattered
-- through a large practice's file, and reading every column of all of them took 16 ms of the
-- overview's run at 900,000 links, this ~6 ms (issue 6).
SELECT l.id, l.partner_id, l.instrument_id, l.created_at, l.expires_at, l.opened_at,
       l.started_at, l.submitted_at, l.revoked_at, l.revoked_reason, l.origin,
       d.title AS decision_title
FROM links l
LEFT JOIN decisions d ON d.id = l.decision_id AND d.couple_id = l.couple_id
WHERE l.id IN (
    SELECT t.id
    FROM (SELECT o.id,
                 ROW_NUMBER() OVER (PARTITION BY o.partner_id, o.instrument_id, o.decision_id
                                    ORDER BY o.created_at DESC, o.id DESC) AS n
          FROM links o
          WHERE o.couple_id = $couple_id) t
    WHERE t.n = 1)
ORDER BY l.created_at DESC, l.id DESC
