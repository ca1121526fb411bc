"""Core's pages: pii.py (revealing a masked field), exports.py (export requests and their approval)."""
