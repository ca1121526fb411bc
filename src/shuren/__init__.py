"""Shuren (熟人): co-governance for urban residential communities."""

__version__ = "0.1.0.dev0"
