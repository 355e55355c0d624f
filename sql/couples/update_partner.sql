-- Replace one partner's profile fields.
UPDATE partners
SET name = $name, pronouns = $pronouns, occupation = $occupation, industry = $industry,
    career_stage = $career_stage, weekly_hours = $weekly_hours, country = $country,
    city = $city, languages = $languages, email = $email, phone = $phone
WHERE couple_id = $couple_id AND position = $position
