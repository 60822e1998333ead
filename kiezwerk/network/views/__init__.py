"""Network views, one module per area (referrals, directory, imports, ranking)."""
