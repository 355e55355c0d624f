-- Demo only: each agreement first written soon after its couple was added (and a week before
-- its first confirmation), not on the day the demo was made, so that past sessions' summaries
-- show it as it stood then.
UPDATE agreement_versions
SET edited_at = LEAST(edited_at,
                      (SELECT c.created_at + INTERVAL '30 days' FROM couples c
                       WHERE c.id = agreement_versions.couple_id),
                      CAST(confirmed_on AS TIMESTAMP) - INTERVAL '7 days')
WHERE version = 1
