-- One partner of one couple with every detail the counselor typed; nothing when the partner
-- is not that couple's (a partner's own-data export).
SELECT id, couple_id, position, name, pronouns, occupation, industry, career_stage,
       weekly_hours, country, city, languages, email, phone
FROM partners
WHERE id = $partner_id AND couple_id = $couple_id
