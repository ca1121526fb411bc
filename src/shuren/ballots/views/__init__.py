"""Pages of ballots: ``console`` (staff: drafting, opening, turnout, paper entry, closing, the tally
sheet and its export), ``config`` (the rules), ``portal`` (owners: their ballots and votes)."""
