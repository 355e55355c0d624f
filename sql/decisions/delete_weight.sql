-- Clear one partner's weight for one factor.
DELETE FROM decision_weights
WHERE factor_id = $factor_id AND partner_id = $partner_id AND couple_id = $couple_id
