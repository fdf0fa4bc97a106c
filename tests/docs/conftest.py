"""One docs build per test session, shared by the docs tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docsite import Build, build_site

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before tests/conftest.py's module groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist (``--dist loadgroup``) the docs tests form one group, run by one worker: one
    build for them all, into the one ``docs/_build``. (A string prefix, not ``item.path.parents``:
    walking the parents of ~16,000 items' paths took ~1 s of each worker's collection.)"""
    prefix = f"{HERE}{os.sep}"
    for item in items:
        if str(item.path).startswith(prefix):
            item.add_marker(pytest.mark.xdist_group("docs"))


@pytest.fixture(scope="session")
def site_build() -> Build:
    return build_site()


@pytest.fixture(scope="session")
def site(site_build: Build):
    """The built site's folder; a failed build fails every test that needs the site."""
    if site_build.returncode != 0:
        pytest.fail(f"the docs build failed:\n{site_build.problems()}")
    return site_build.html
