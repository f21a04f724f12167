"""Our pyproject.toml causes no build warning: an SPDX licence string (setuptools>=77 deprecates the table)."""

import tomllib

from tests.conftest import ROOT


def test_the_licence_is_an_spdx_expression_with_a_setuptools_that_reads_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())

    assert project["project"]["license"] == "AGPL-3.0-or-later"
    assert "setuptools>=77" in project["build-system"]["requires"]
