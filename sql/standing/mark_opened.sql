-- Record when a standing link was last opened.
UPDATE standing_links SET last_opened_at = $now WHERE id = $standing_id
