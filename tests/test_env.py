"""Typed settings helpers refuse junk loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from museumcm.env import env_hours


def test_working_hours_default_and_read_from_the_environment(monkeypatch):
    assert env_hours("WORKING_DAY_STARTS", "WORKING_DAY_ENDS", default=(8, 19)) == (8, 19)
    monkeypatch.setenv("WORKING_DAY_STARTS", "7")
    monkeypatch.setenv("WORKING_DAY_ENDS", "24")
    assert env_hours("WORKING_DAY_STARTS", "WORKING_DAY_ENDS", default=(8, 19)) == (7, 24)


@pytest.mark.parametrize(("starts", "ends"), [("20", "19"), ("-1", "10"), ("8", "25"), ("9", "9")])
def test_working_hours_out_of_the_day_or_backwards_are_refused(monkeypatch, starts, ends):
    monkeypatch.setenv("WORKING_DAY_STARTS", starts)
    monkeypatch.setenv("WORKING_DAY_ENDS", ends)
    with pytest.raises(ImproperlyConfigured, match="WORKING_DAY_STARTS"):
        env_hours("WORKING_DAY_STARTS", "WORKING_DAY_ENDS", default=(8, 19))
