import time

import pytest
from django.core import signing
from django.core.cache import cache

from ask.forms import STARTED_SALT
from ask.models import Theme


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages start empty in each test."""
    cache.clear()


@pytest.fixture
def themes(db):
    return [
        Theme.objects.create(slug="origins", name_fr="Origines", name_en="Origins", position=1),
        Theme.objects.create(slug="future", name_fr="Avenir", name_en="Future", position=2),
    ]


def started(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def question_form(**fields) -> dict:
    return {
        "text": "Pourquoi avons-nous un menton ?",
        "name": "",
        "email": "",
        "website": "",
        "started": started(),
        **fields,
    }
