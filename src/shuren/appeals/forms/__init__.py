"""Forms of appeals, input only (the choices they offer come from ``selectors``): ``console`` (the
list filter, one form per workflow action, staff entry, configuration, the KPI period) and
``portal`` (reporting, collecting on a round, rating the outcome)."""
