-- Add one version of an agreement (versions are never changed afterwards).
INSERT INTO agreement_versions (agreement_id, couple_id, version, title, body, kind, status,
                                exit_plan, review_on, confirmed_on, change_note, edited_by,
                                edited_at)
VALUES ($agreement_id, $couple_id, $version, $title, $body, $kind, $status, $exit_plan,
        $review_on, $confirmed_on, $change_note, $edited_by, $now)
