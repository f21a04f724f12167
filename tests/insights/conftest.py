"""The known month of tests/insights/history.py, in the institution's zone it was computed in."""

import pytest

from tests.insights import history


@pytest.fixture
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture
def rows(curator, paris):
    return history.build(curator)
