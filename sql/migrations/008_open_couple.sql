-- The couple a sign-in has open, kept on the server so that reloading a couple's page (or
-- opening Tandem in another tab on a remembered device) opens that couple again, and never in a
-- URL (STYLE.md: no client identifiers in addresses). Read back only while the sign-in is live
-- and the account may still open the couple; cleared when the couple is erased.
ALTER TABLE auth_sessions ADD COLUMN open_couple_id INTEGER;
