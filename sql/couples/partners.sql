-- Both partners of one couple, in display order.
SELECT id, couple_id, position, name, pronouns, occupation, industry, career_stage,
       weekly_hours, country, city, languages, email, phone
FROM partners
WHERE couple_id = $couple_id
ORDER BY position
