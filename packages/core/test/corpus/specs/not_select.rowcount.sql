DELETE FROM stage_accounts
