"""Pages of governance: ``console`` (the items: list, export, one item, add and edit), ``lists``
(governance lists, wishes awaiting review, figures), ``config`` (each community's policy), ``portal``
(the residents' side); ``actions`` holds the workflow actions' forms the console and portal share."""
