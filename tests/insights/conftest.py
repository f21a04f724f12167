"""The known month of tests/insights/history.py, in the institution's zone it was computed in; fresh allowances."""

import pytest
from django.core.cache import cache

from tests.insights import history


@pytest.fixture(autouse=True)
def _fresh_allowances():
    """Each account's metrics allowance lives in the cache, keyed by account id: a new test database reuses ids."""
    cache.clear()


@pytest.fixture
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture
def rows(curator, paris):
    return history.build(curator)
