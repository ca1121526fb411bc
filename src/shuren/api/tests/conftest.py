import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    """The token endpoint's request throttle counts in the cache; each test starts afresh."""
    cache.clear()
