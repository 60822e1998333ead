"""Network services, one module per area (referrals, directory, imports, ranking)."""
