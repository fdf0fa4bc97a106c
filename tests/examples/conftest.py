"""Make ``examples_helpers`` and the examples' ``_common`` importable (pytest runs with
--import-mode=importlib); one output folder per test module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _path in (str(_HERE), str(_HERE.parents[1] / "examples")):
    if _path not in sys.path:
        sys.path.insert(0, _path)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("out")
