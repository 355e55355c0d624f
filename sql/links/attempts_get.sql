-- Bad-token attempts recorded for one client, or nothing.
SELECT client_key, failures, window_start FROM link_attempts WHERE client_key = $client_key
