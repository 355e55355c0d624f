-- Record the first saved answer of a link.
UPDATE links SET started_at = $now WHERE id = $link_id AND started_at IS NULL
