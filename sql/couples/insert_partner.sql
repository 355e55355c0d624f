-- Add one partner (position 1 or 2) to a couple; returns its id.
INSERT INTO partners (couple_id, position, name, pronouns, occupation, industry, career_stage,
                      weekly_hours, country, city, languages, email, phone)
VALUES ($couple_id, $position, $name, $pronouns, $occupation, $industry, $career_stage,
        $weekly_hours, $country, $city, $languages, $email, $phone)
RETURNING id
