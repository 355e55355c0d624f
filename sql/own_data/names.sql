-- Both partners' names of one couple, in display order: the other partner's name is all their
-- own-data export needs of them (shared records name both), never their other details.
SELECT id, position, name
FROM partners
WHERE couple_id = $couple_id
ORDER BY position
