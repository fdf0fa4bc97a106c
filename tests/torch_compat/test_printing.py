"""A Tensor prints as torch's does in layout: every element up to 1000 (torch's threshold), the middle
elided beyond with 3 kept at each edge, and the rows of a matrix aligned under the first one.
(The numbers themselves are numpy's shortest form: ``0.1`` where torch prints ``0.1000``.)"""

from __future__ import annotations

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("n", [25, 1000, 1001, 5000])
def test_elided_where_torch_elides(n: int) -> None:
    ours, theirs = repr(autograd.arange(float(n))), repr(torch.arange(float(n), dtype=torch.float64))
    assert ("..." in ours) == ("..." in theirs) == (n > 1000)
    if n > 1000:
        body = ours[ours.index("[") : ours.index("]") + 1]
        assert body.count(",") == 6  # three at each edge, and the ellipsis


def test_rows_align_under_the_first() -> None:
    ours = repr(autograd.tensor(np.arange(6.0).reshape(2, 3)))
    theirs = repr(torch.arange(6.0).reshape(2, 3))
    assert ours.splitlines()[1].index("[") == theirs.splitlines()[1].index("[") == len("tensor([")
    assert ours.splitlines()[0].startswith("Tensor([[")


def test_set_printoptions_default_profile_is_torchs() -> None:
    autograd.set_printoptions(threshold=5)
    try:
        assert "..." in repr(autograd.arange(10.0))
    finally:
        autograd.set_printoptions(profile="default")
    assert "..." not in repr(autograd.arange(1000.0))
