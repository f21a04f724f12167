"""Typed settings helpers refuse junk loudly, and every setting they read is documented."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from museumcm.env import env_hours

ROOT = Path(__file__).resolve().parent.parent


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


def _readme_table_names() -> list[str]:
    """The variables named in the first cell of each row of the README's configuration table."""
    table = (ROOT / "README.md").read_text().split("\n| variable | default | meaning |", 1)[1].split("\n\n", 1)[0]
    return [name for row in table.splitlines() for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split(" | ")[0])]


def _variables_read(path: Path) -> set[str]:
    """The names a module reads with museumcm.env's helpers (`env_hours` reads two)."""
    calls = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
    return {
        arg.value
        for call in calls
        if isinstance(call.func, ast.Name) and call.func.id.startswith("env_")
        for arg in call.args[: 2 if call.func.id == "env_hours" else 1]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }


def test_every_setting_is_in_the_readme_table_once():
    read = _variables_read(ROOT / "museumcm/settings.py") | _variables_read(ROOT / "museumcm/beat.py")
    read |= {f"{network.upper()}_{part}" for network in settings.SOCIAL_APPS for part in ("CLIENT_ID", "CLIENT_SECRET")}
    listed = _readme_table_names()
    assert sorted(read - set(listed)) == []
    assert sorted(name for name in set(listed) if listed.count(name) > 1) == []


@pytest.mark.django_db
def test_postgresql_connections_compile_no_statement():
    """JIT compilation costs tens of milliseconds on a statement of a few (settings.DATABASES' options)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
