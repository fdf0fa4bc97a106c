"""Fixtures of the optimizer tests (their shared problems are in ``optimizer_problems.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch


@pytest.fixture
def torch_float64() -> Iterator[None]:
    """torch's default dtype float64 for the test: torch keeps NAdam's ``mu_product``, ASGD's
    ``eta`` / ``mu`` and every ``step`` in it, where ours are float64."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)
