-- Every pending request to erase a couple, oldest first, with the couple's names, its
-- counselor and who asked: the admin's list on Admin -> Data safety.
SELECT r.couple_id, r.requested_at, r.reason, r.note,
       asker.display_name AS requested_by_name, co.display_name AS counselor_name,
       p1.name AS name_1, p2.name AS name_2
FROM erasure_requests r
JOIN couples c ON c.id = r.couple_id
JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2
JOIN counselors co ON co.id = c.counselor_id
LEFT JOIN counselors asker ON asker.id = r.requested_by
ORDER BY r.requested_at, r.couple_id
