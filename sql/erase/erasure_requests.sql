-- Erase a couple's request to be erased (it goes with the couple).
DELETE FROM erasure_requests WHERE couple_id = $couple_id
