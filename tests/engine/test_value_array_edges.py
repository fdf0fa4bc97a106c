"""ValueArray at the edges of issue 10, value and gradient against torch: nan and tied infinities
in max/min, log_softmax/softmax at huge logits, empty sums and means, empty and 0-d axes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from engine_helpers import close

from autograd import ValueArray

NAN, INF = math.nan, math.inf


def _both(values: list[float] | np.ndarray, ours, theirs, upstream: np.ndarray | None = None):
    """Value and gradient of ``ours`` on a ValueArray and ``theirs`` on a float64 torch tensor."""
    va = ValueArray(values)
    t = torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)
    out, ref = ours(va), theirs(t)
    close(out.data, ref, rtol=1e-12, atol=0)
    up = np.ones(ref.shape) if upstream is None else upstream
    (out * up).sum().to_value().backward()
    (ref * torch.tensor(up)).sum().backward()
    close(va.grad, t.grad, rtol=1e-12, atol=0)
    return out


@pytest.mark.parametrize(
    "values",
    [
        [NAN, 1.0, 2.0],
        [1.0, NAN, NAN],
        [-INF, -INF],
        [INF, INF, 1.0],
        [-INF, -INF, -INF],
        [INF, 1.0],
        [2.0, 2.0, 1.0],
    ],
)
def test_max_and_min_as_torch_amax(values) -> None:
    out = _both(values, lambda x: x.max(), lambda x: x.amax())
    if any(v != v for v in values):
        assert math.isnan(out.data)
    _both(values, lambda x: x.min(), lambda x: x.amin())
    _both([values, values[::-1]], lambda x: x.max(axis=1), lambda x: x.amax(dim=1))


def test_log_softmax_and_softmax_at_huge_logits() -> None:
    logits = [1e16, 1e16 + 2, 1e16 + 4]
    out = _both(logits, lambda x: x.softmax(0), lambda x: x.softmax(0), np.array([1.0, -2.0, 0.5]))
    close(out.data, [0.0159, 0.1173, 0.8668], rtol=0, atol=5e-5)
    _both(logits, lambda x: x.log_softmax(), lambda x: x.log_softmax(0), np.array([1.0, 2.0, 3.0]))
    for scale in (1e12, 1e16, 1e300):
        _both([scale, scale + scale * 1e-15, -scale], lambda x: x.log_softmax(), lambda x: x.log_softmax(0))


def test_empty_sum_mean_and_axes() -> None:
    s, m = ValueArray([]).sum(), ValueArray([]).mean()
    assert s.shape == () and s.to_value().data == 0.0 and type(s.to_value().data) is float
    assert m.shape == () and math.isnan(m.to_value().data)
    empty = np.zeros((2, 0))
    close(ValueArray(empty).logsumexp(1).data, torch.zeros(2, 0, dtype=torch.float64).logsumexp(1))
    assert ValueArray(empty).softmax(1).shape == (2, 0) and ValueArray(empty).sum(1).shape == (2,)
    assert ValueArray(empty).log_softmax(0).shape == (2, 0)


def test_zero_d_axes() -> None:
    x = ValueArray(2.0)
    for axis in (0, -1):
        assert x.sum(axis).shape == () and x.max(dim=axis).values.shape == ()
    _both(
        2.0,
        lambda x: x.logsumexp(0) + x.softmax(0) + x.log_softmax(-1),
        lambda x: x.logsumexp(0) + x.softmax(0) + x.log_softmax(-1),
    )


def test_a_sum_of_negative_zeros_is_positive_zero_as_torch() -> None:
    """torch's and numpy's sums start at +0.0; numpy's sum of an object array starts at its first
    element, which kept -0.0 (fuzzer ValueArray seed 12560: atan2 of it then gave -pi for 0)."""
    for shape, axis in (((), None), ((1,), 0), ((2, 3), 1), ((2, 3), None)):
        x = ValueArray(np.full(shape, -0.0))
        total = x.sum(axis)
        t = torch.full(shape, -0.0, dtype=torch.float64, requires_grad=True)
        ref = t.sum() if axis is None else t.sum(axis)
        assert np.array_equal(np.signbit(total.data), np.signbit(ref.detach().numpy()))
        (total.sum() if total.values.size > 1 else total).to_value().backward()
        ref.sum().backward()
        np.testing.assert_array_equal(x.grad, t.grad.numpy())


def test_a_sum_after_a_nan_gives_no_warning(recwarn: pytest.WarningsRecorder) -> None:
    # the floating-point flags a nan leaves behind used to surface as numpy's RuntimeWarning
    # from the sum's last step (computing is quiet, as torch's)
    va = ValueArray([2.0, 0.5])
    out = va.arccos().sum()
    assert math.isnan(out.data) and not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
