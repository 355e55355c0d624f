-- Withdraw (the counselor) or decline (an admin) a couple's request to be erased.
DELETE FROM erasure_requests WHERE couple_id = $couple_id
RETURNING couple_id
