"""The organisations registry's pages: console.py (organisations, members, partnerships, service
stations, the export), posts.py (posts and duties, post kinds, a post holder's home page)."""
