"""Settings of the server the benchmarks start: the development settings (as `make bench` uses them)
with a URL configuration that serves the floors, bare views defined in the benchmark itself, beside
the real site."""

from shuren.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
