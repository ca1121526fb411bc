"""Pages of conventions: ``console`` (staff, /conventions/) and ``portal`` (residents, /my/conventions/)."""
