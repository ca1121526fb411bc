"""Pages of proposals: ``console`` (staff, /proposals/) and ``portal`` (residents, /my/proposals/)."""
