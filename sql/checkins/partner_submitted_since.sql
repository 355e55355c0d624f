-- How many check-ins one partner has submitted since a UTC instant (0 = none this period).
SELECT count(*) AS n FROM checkins WHERE partner_id = $partner_id AND submitted_at >= $since
