"""What torch's ``grad_fn`` objects show of what their backward saved: ``_saved_self``,
``_saved_other``, ``_saved_result``, ``_saved_exponent``, ... (PyTorch's tutorial "Hooks for
autograd saved tensors"), and which tensors torch saves, in its order (:data:`PACKS`: what a
``saved_tensors_hooks`` pack hook is called with, autograd/_packed.py).

Nothing is saved for them: each is read from the node when asked (``GradFn.__getattr__``
in autograd/torch_methods.py), so the engine's forward and backward are as they were; inside
``saved_tensors_hooks`` a node's saved tensors are packed at the forward and a ``_saved_*`` read
unpacks them (a new Tensor at each read, as torch's), and ``_raw_saved_*`` gives torch's
SavedTensor object (``register_hooks``), both in autograd/_packed.py. The
rules are torch's (``tools/autograd/derivatives.yaml``): an input is shown where torch saves it,
which for a product's operands is where the *other* operand needs a gradient (``x * c`` with a
constant ``c`` shows ``_saved_self`` None); an input is the tensor itself (``_saved_self is x``);
an output is a new Tensor over the output's memory with its ``grad_fn`` (``_saved_result is y``
is False, as torch's, ``_saved_result.equal(y)`` True); numbers are Python numbers; a negative
``dim`` shows as torch shows it, ``2**64 + dim``.

Differences: a number an operation kept as a float array here is shown as an int when it is whole
(``x.pow(2)`` shows ``2`` as torch's; ``x.pow(2.0)`` shows ``2``, torch ``2.0``); a number operand
(``x * 2``) is the 0-d tensor of ``x``'s dtype the engine made of it (torch's is int64 for an
int); a negative ``dim`` was made positive when the op was recorded, so ``log_softmax(-1)`` shows
``1`` for a 2-d input where torch shows ``2**64 - 1``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ops import promotion

#: Getter = (node) -> value
Getter = Callable[[Any], Any]


def _input(node: Any, i: int) -> Any:
    """Input ``i`` of ``node`` as torch saved it: before a cast the promotion inserted."""
    x = node._prev[i]
    while x._op is not None and type(x._params) is promotion.ImplicitCast:
        x = x._prev[0]
    return x


def _self(node: Any) -> Any:
    return _input(node, 0)


def _when_other_needs_grad(i: int) -> Getter:
    """Input ``i``, saved where the other of two inputs needs a gradient (a product's rule)."""
    return lambda node: _input(node, i) if node._prev[1 - i].requires_grad else None


def _result(node: Any) -> Any:
    """The output as torch unpacks a saved output: a new Tensor over its memory, with its grad_fn."""
    return over(node, node.data)


def over(x: Any, data: Any) -> Any:
    """A new Tensor over ``data`` with ``x``'s graph, as torch's unpacked variable (``x._node``:
    Tensor's own constructor of a plain node, read off the node: no import of ``_tensor``, which
    imports this module through ``torch_methods``)."""
    out = x._node(data, x.requires_grad)
    if x._op is not None:
        out._prev, out._args, out._op, out._params = x._prev, x._args, x._op, x._params
        out._made = x._made
    return out


def _number(value: Any) -> int | float:
    """A number the engine kept in an array, as a Python number (an int when it is whole)."""
    number = float(value.data if hasattr(value, "data") else value)
    return int(number) if number.is_integer() else number


def _bound(name: str) -> Getter:
    """A clamp's bound: a number, or None where none was given (kept as an infinity here)."""

    def get(node: Any) -> Any:
        value = node._params[name]
        return None if value is None or abs(value) == float("inf") else _number(value)

    return get


def _dim(value: Any) -> int:
    """A dim as torch's saved-variable getter shows it: a negative one wrapped as unsigned."""
    return int(value) if value >= 0 else int(value) + 2**64


def _sizes(i: int) -> Getter:
    """Input ``i``'s shape (torch saves it always)."""
    return lambda node: tuple(_input(node, i).data.shape)


def _strides(i: int) -> Getter:
    """Input ``i``'s strides in elements, saved where it needs a gradient (else ``()``)."""

    def get(node: Any) -> tuple[int, ...]:
        if not node._prev[i].requires_grad:
            return ()
        data = _input(node, i).data
        return tuple(s // data.itemsize for s in data.strides)

    return get


#: the backwards that save their output only, and their input only
_OF_RESULT = (
    "ExpBackward0", "Exp2Backward0", "Expm1Backward0", "TanhBackward0", "SigmoidBackward0", "ReluBackward0",
    "SqrtBackward0", "RsqrtBackward0", "ReciprocalBackward0", "TanBackward0", "LogSoftmaxBackward0",
)  # fmt: skip
_OF_SELF = (
    "SinBackward0", "CosBackward0", "LogBackward0", "Log2Backward0", "Log10Backward0", "Log1PBackward0",
    "AbsBackward0", "SinhBackward0", "CoshBackward0", "AsinBackward0", "AcosBackward0", "AtanBackward0",
    "ErfBackward0", "PowBackward0", "ClampBackward1",
)  # fmt: skip
_RESULT = {"_saved_result": _result}
_SELF = {"_saved_self": _self}
_PRODUCT = {"_saved_self": _when_other_needs_grad(0)}

#: torch's backward name -> its saved attributes (name -> getter of the node)
SAVED: dict[str, dict[str, Getter]] = {
    **{name: _RESULT for name in _OF_RESULT},
    **{name: _SELF for name in _OF_SELF},
    "MulBackward0": {**_PRODUCT, "_saved_other": _when_other_needs_grad(1)},
    "DivBackward0": {**_PRODUCT, "_saved_other": lambda node: _input(node, 1)},
    "AddBackward0": {"_saved_alpha": lambda node: 1},
    "SubBackward0": {"_saved_alpha": lambda node: 1},
    "PowBackward0": {**_SELF, "_saved_exponent": lambda node: _number(_input(node, 1))},
    "PowBackward1": {
        **_SELF,
        "_saved_exponent": lambda node: _input(node, 1),
        **_RESULT,
    },
    "PowBackward2": {
        "_saved_self": lambda node: _number(_input(node, 0)),
        "_saved_exponent": lambda node: _input(node, 1),
        **_RESULT,
    },
    "MmBackward0": {
        **_PRODUCT,
        "_saved_mat2": _when_other_needs_grad(1),
        "_saved_self_sym_sizes": _sizes(0),
        "_saved_self_sym_strides": _strides(0),
        "_saved_mat2_sym_sizes": _sizes(1),
        "_saved_mat2_sym_strides": _strides(1),
    },
    "MvBackward0": {**_PRODUCT, "_saved_vec": _when_other_needs_grad(1)},
    "DotBackward0": {**_PRODUCT, "_saved_tensor": _when_other_needs_grad(1)},
    "LogSoftmaxBackward0": {"_saved_dim": lambda node: _dim(node._params["axis"]), **_RESULT},
    "SumBackward0": {"_saved_self_sym_sizes": _sizes(0)},
    "SumBackward1": {
        "_saved_dim": lambda node: tuple(_dim(d) for d in _axes(node._params["axis"])),
        "_saved_keepdim": lambda node: bool(node._params["keepdims"]),
        "_saved_self_sym_sizes": _sizes(0),
    },
    "ClampBackward1": {**_SELF, "_saved_min": _bound("min"), "_saved_max": _bound("max")},
}  # fmt: skip


#: What each input or the output is in :data:`PACKS`: input ``i`` is ``i``, the output this
RESULT = -1

#: torch's backward name -> the tensors it saves, in the order torch packs them (a
#: ``saved_tensors_hooks`` pack hook's calls at the forward, the unpack hook's at the backward, as
#: torch 2.13 calls them): ``(attribute, input i or RESULT)``; a tensor its getter in :data:`SAVED`
#: gives None for (a product's operand no gradient needs) is not saved. The backwards named with
#: ``()`` save no tensor (sizes, numbers: a view, a sum, a concatenation, an index, whose index
#: arrays are no tensors of the graph here; torch packs an advanced index's index tensors).
PACKS: dict[str, tuple[tuple[str, int], ...]] = {
    **{name: (("_saved_result", RESULT),) for name in _OF_RESULT},
    **{name: (("_saved_self", 0),) for name in _OF_SELF},
    "MulBackward0": (("_saved_other", 1), ("_saved_self", 0)),
    "DivBackward0": (("_saved_other", 1), ("_saved_self", 0)),
    "PowBackward1": (("_saved_exponent", 1), ("_saved_self", 0), ("_saved_result", RESULT)),
    "PowBackward2": (("_saved_exponent", 1), ("_saved_result", RESULT)),
    "MmBackward0": (("_saved_mat2", 1), ("_saved_self", 0)),
    "MvBackward0": (("_saved_self", 0), ("_saved_vec", 1)),
    "DotBackward0": (("_saved_self", 0), ("_saved_tensor", 1)),
    **{
        name: ()
        for name in (
            "AddBackward0", "SubBackward0", "NegBackward0", "SumBackward0", "SumBackward1", "MeanBackward0",
            "ViewBackward0", "PermuteBackward0", "ExpandBackward0", "CatBackward0", "StackBackward0",
            "ToCopyBackward0", "CloneBackward0", "IndexBackward0", "SqueezeBackward4",
        )
    },
}  # fmt: skip


def _axes(axis: Any) -> tuple[Any, ...]:
    return tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)


def saved(backward: str, node: Any, attr: str) -> Any:
    """``grad_fn.<attr>`` of ``node``, whose backward torch names ``backward``.

    Raises:
        AttributeError: torch's grad_fn of that name has no such attribute (torch's message).
    """
    getter = SAVED.get(backward, {}).get(attr)
    if getter is None:
        raise AttributeError(f"'{backward}' object has no attribute '{attr}'")
    return getter(node)


def names(backward: str) -> list[str]:
    """The saved attributes of a ``grad_fn`` of that name, with the ``_raw_saved_*`` of its saved
    tensors, sorted (for ``dir``)."""
    attrs = SAVED.get(backward, {})
    raw = ["_raw" + attr for attr, _ in PACKS.get(backward, ()) if attr in attrs]
    return sorted([*attrs, *raw])


__all__ = ["SAVED", "saved", "names"]
