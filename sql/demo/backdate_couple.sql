-- Demo only: a couple's "added" date moved back to where its made-up history begins.
UPDATE couples SET created_at = $created_at WHERE id = $couple_id
