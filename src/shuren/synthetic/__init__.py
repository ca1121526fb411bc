"""Synthetic data at scale for `shuren seed-scale` and `make bench`: one module per domain."""
