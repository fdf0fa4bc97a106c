"""One docs build per test session, shared by the docs tests."""

from __future__ import annotations

import pytest
from docsite import Build, build_site


@pytest.fixture(scope="session")
def site_build() -> Build:
    return build_site()


@pytest.fixture(scope="session")
def site(site_build: Build):
    """The built site's folder; a failed build fails every test that needs the site."""
    if site_build.returncode != 0:
        pytest.fail(f"the docs build failed:\n{site_build.problems()}")
    return site_build.html
