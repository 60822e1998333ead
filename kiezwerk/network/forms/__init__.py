"""Network forms, one module per area (referrals, directory, imports, ranking)."""
