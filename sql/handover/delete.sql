-- End the hand-over of one sign-in.
DELETE FROM handovers WHERE auth_session_id = $auth_session_id
