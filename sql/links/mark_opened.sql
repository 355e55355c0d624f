-- Record the first time a link was opened.
UPDATE links SET opened_at = $now WHERE id = $link_id AND opened_at IS NULL
