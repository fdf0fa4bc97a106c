"""Engine defects the HIPS port led to, each as a minimal test that failed before its fix.

NumPy functions given a *sequence* holding Tensors lost the graph silently. HIPS's
``np.mean([x, x + 2])`` (``test_mean_list_of_boxes``) passes on Values, whose lists NumPy turns
into object arrays; with a Tensor ``x`` every NumPy function and ufunc returned plain numbers.
Diagnosis: NumPy hands a call to ``Tensor.__array_function__``/``__array_ufunc__`` only when an
argument *is* a Tensor; a list is not, so NumPy converts it with ``np.asarray``, which calls
``Tensor.__array__``, and that returned the data even of a Tensor that requires grad:
``autograd.grad(lambda x: np.mean([x, x + 2]))(np.array(1.0))`` was 0.0 (the derivative is 1).
The fix is torch's: ``Tensor.__array__`` refuses a Tensor that requires grad (a ``TypeError``
naming ``autograd.stack`` and ``t.detach()``), so each of these now refuses or records the graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Tensor

SEQUENCE_OF_TENSORS = {
    "mean": lambda t: np.mean([t, t + 2]),
    "sum": lambda t: np.sum((t, 3 * t)),
    "max": lambda t: np.max([t, t + 1]),
    "linalg.norm": lambda t: np.linalg.norm([t, t + 2]),
    "dot": lambda t: np.dot([t, t], [1.0, 2.0]),
    "exp": lambda t: np.exp([t, t]),
    "array": lambda t: np.array([t, 2 * t]),
}


@pytest.mark.parametrize("name", SEQUENCE_OF_TENSORS)
def test_numpy_on_a_sequence_of_tensors_keeps_the_graph_or_refuses(name: str) -> None:
    t = Tensor(1.0, requires_grad=True)
    try:
        out: Any = SEQUENCE_OF_TENSORS[name](t)
    except TypeError as e:  # a clear refusal is acceptable
        assert "autograd.stack" in str(e) and "t.detach()" in str(e), e
        return
    assert isinstance(out, Tensor) and out.requires_grad, f"np.{name}: plain {type(out).__name__} {out!r}"


def test_grad_through_numpy_on_a_list_of_tensors() -> None:
    try:
        slope = autograd.grad(lambda x: np.mean([x, x + 2]))(np.array(1.0))
    except TypeError as e:
        assert "numpy.mean converted a Tensor that requires grad" in str(e), e
        return
    assert slope == 1.0, slope
