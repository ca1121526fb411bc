"""Pages of points: ``console`` (staff: overview, accounts, adjustments, leaderboards), ``rewards``
(staff: the catalogue and redemptions), ``config`` (rules and policies) and ``portal`` (residents)."""
