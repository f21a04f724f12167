import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_allowances():
    """Each account's metrics allowance lives in the cache, keyed by account id: a new test database reuses ids."""
    cache.clear()
