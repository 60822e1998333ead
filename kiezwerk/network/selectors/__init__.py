"""Network selectors, one module per area (referrals, directory, imports, ranking)."""
