-- Store many partners under the ids reserved for them (synthetic practice): parallel lists.
INSERT INTO partners (id, couple_id, position, name, pronouns, occupation, industry,
                      career_stage, weekly_hours, country, city, languages, email, phone)
SELECT unnest(CAST($id AS INTEGER[])), unnest(CAST($couple_id AS INTEGER[])),
       unnest(CAST($position AS INTEGER[])), unnest(CAST($name AS VARCHAR[])),
       unnest(CAST($pronouns AS VARCHAR[])), unnest(CAST($occupation AS VARCHAR[])),
       unnest(CAST($industry AS VARCHAR[])), unnest(CAST($career_stage AS VARCHAR[])),
       unnest(CAST($weekly_hours AS INTEGER[])), unnest(CAST($country AS VARCHAR[])),
       unnest(CAST($city AS VARCHAR[])), unnest(CAST($languages AS VARCHAR[])),
       unnest(CAST($email AS VARCHAR[])), unnest(CAST($phone AS VARCHAR[]))
