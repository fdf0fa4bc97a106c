"""The 2-2-1 example prints its backward pass as the code of a compiled step, beside the trace."""

from __future__ import annotations

from example_loader import load_example


def test_the_221_backward_pass_as_code() -> None:
    ex = load_example("backprop_221")
    code, grads = ex.backward_code()
    lines = code.splitlines()
    assert lines[0].startswith("g_L = 1.0") and "the seed" in lines[0]
    assert "g_z1 = (a1 * (1.0 - a1)) * g_a1" in code and "# ∂a1/∂z1 = σ(z1)(1 − σ(z1))" in code
    assert "w11_.grad += 1.0 * g_w11_x1" in code and "∂w11_x1/∂w11 = x1" in code  # a constant by its label
    p = ex.parameters()
    ex.forward(p)["L"].backward()
    assert grads == {k: v.grad for k, v in p.items()}
