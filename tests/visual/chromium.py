"""One headless Chromium for the browser tests (Debian's, through chromedriver and selenium): a
missing browser skips them with the reason, and fails them with ``CI=true``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(why: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must run the browser tests: {why} (.ci/run installs chromium and chromium-driver)")
    pytest.skip(why)


def session() -> Iterator[Any]:
    """A driver for the whole test session (its browser log kept: the tests read its errors)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed")
    chrome = next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)
    driver = shutil.which("chromedriver")
    if chrome is None or driver is None:
        missing("no Chromium/chromedriver on PATH (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1920,1080"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=driver), options=options)  # no selenium-manager
    try:
        yield d
    finally:
        d.quit()
