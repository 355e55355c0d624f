-- Link many ledger events to the events that repaid them (demo history): parallel id lists.
UPDATE ledger_events SET repaid_by_id = pairs.repaid_by_id
FROM (SELECT unnest(CAST($ids AS INTEGER[])) AS id,
             unnest(CAST($repaid_by_ids AS INTEGER[])) AS repaid_by_id) pairs
WHERE ledger_events.id = pairs.id
