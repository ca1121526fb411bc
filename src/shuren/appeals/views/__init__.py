"""Pages of appeals, one module per audience: ``console`` (the desk and handlers: lists, one appeal,
staff entry, notifications), ``config`` (configuration), ``kpis``, ``publication`` (the review
before publishing), ``portal`` (residents and building leaders) and ``board`` (the public board)."""
