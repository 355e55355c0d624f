-- Forget failed sign-ins for a username (after a success or an admin unlock).
DELETE FROM login_throttle WHERE username = $username
