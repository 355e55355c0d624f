-- Set one partner's score (1-10) of one option on one factor.
INSERT INTO decision_scores (factor_id, option_id, partner_id, decision_id, couple_id, score,
                             source, updated_at)
VALUES ($factor_id, $option_id, $partner_id, $decision_id, $couple_id, $score, $source, $now)
ON CONFLICT (factor_id, option_id, partner_id) DO UPDATE
SET score = excluded.score, source = excluded.source, updated_at = excluded.updated_at
