"""The demo's shared password: every demo login (``make demo``) signs in with it."""

DEMO_PASSWORD = "Linli-demo-2026"
