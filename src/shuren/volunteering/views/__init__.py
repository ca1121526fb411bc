"""Pages of volunteering: ``console`` (staff: activities), ``volunteers`` (staff: the register,
teams, the party members' progress, the policy) and ``portal`` (the volunteer's side)."""
