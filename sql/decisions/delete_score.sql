-- Clear one partner's score of one option on one factor.
DELETE FROM decision_scores
WHERE factor_id = $factor_id AND option_id = $option_id AND partner_id = $partner_id
  AND couple_id = $couple_id
