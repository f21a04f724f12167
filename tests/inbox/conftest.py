import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Counts per network are cached for a few seconds; each test starts from the database's truth."""
    cache.clear()
