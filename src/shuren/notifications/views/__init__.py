"""Pages of the outbox: ``inbox`` (every signed-in user's messages and choices, in the console or
the portal shell) and ``staff`` (the administrator's view of delivery)."""
