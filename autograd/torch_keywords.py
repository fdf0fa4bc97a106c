"""torch's keyword names for the top-level functions whose own parameters are named otherwise
(numpy's or ``torch.linalg``'s): ``autograd.det(input=a)`` as ``torch.det(input=a)``, while
``autograd.linalg.det(A=a)`` keeps ``torch.linalg``'s name. :func:`install` wraps the namespace's
functions named in :data:`TORCH_NAMES`; the wrapper renames the keywords and shows torch's names in
its signature."""

from __future__ import annotations

import functools
import inspect
import keyword
from collections.abc import Callable
from typing import Any

__all__ = ["install"]

_LINALG = {"input": "A"}
_STACKS = {"tensors": "tup"}
_SPLITS = {"sections": "indices_or_sections", "indices": "indices_or_sections"}

#: each function's torch keyword -> the name of its own parameter (torch 2.13's _VariableFunctions.pyi)
TORCH_NAMES: dict[str, dict[str, str]] = {
    **dict.fromkeys(["det", "logdet", "slogdet", "inverse", "matrix_exp"], _LINALG),
    "cholesky_inverse": {"input": "L"},
    "cholesky_solve": {"input": "B", "input2": "L"},
    "vdot": {"input": "a", "other": "b"},
    **dict.fromkeys(["hstack", "vstack", "dstack", "column_stack", "row_stack"], _STACKS),
    "swapdims": {"dim0": "axis0", "dim1": "axis1"},
    "broadcast_to": {"size": "shape"},
    **dict.fromkeys(["hsplit", "vsplit", "dsplit"], _SPLITS),
    "tensor_split": {"tensor_indices_or_sections": "indices_or_sections"},
    **dict.fromkeys(["max", "min"], {"other": "dim"}),
    # the factories' ``*size``: torch's zeros(size=(2, 3)) ("*": the positional arguments)
    **dict.fromkeys(["zeros", "ones", "empty", "rand", "randn"], {"size": "*"}),
}


#: the same for the Tensor methods (``t.swapdims(dim0=0, dim1=1)``)
METHOD_NAMES: dict[str, dict[str, str]] = {
    "broadcast_to": {"size": "shape"},
    "swapdims": {"dim0": "axis0", "dim1": "axis1"},
    **dict.fromkeys(["hsplit", "vsplit", "dsplit"], _SPLITS),
    "tensor_split": {"tensor_indices_or_sections": "indices_or_sections"},
    "vdot": {"other": "b"},
    "take": {"index": "indices"},
    "uniform_": {"from": "a", "to": "b"},  # (torch's from=, a Python keyword: uniform_(**{"from": 2}))
}


def with_torch_names(function: Callable[..., Any], name: str, names: dict[str, str]) -> Callable[..., Any]:
    """``function`` taking torch's keyword names ``names`` (torch's -> its own) as well as its own."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for theirs, ours in names.items():
            if theirs in kwargs and ours == "*":
                if args:
                    raise TypeError(
                        f"{name}() got the {theirs} both as positional arguments and as {theirs}="
                    )
                args = (kwargs.pop(theirs),)
            elif theirs in kwargs:
                if ours in kwargs:
                    raise TypeError(f"{name}() got {theirs}= and {ours}=, two names of one argument")
                kwargs[ours] = kwargs.pop(theirs)
        return function(*args, **kwargs)

    own = {}
    for theirs, ours in names.items():
        if not keyword.iskeyword(theirs):  # (uniform_'s from: only through **kwargs, its own name shown)
            own.setdefault(ours, theirs)  # (the first of torch's names is shown: hsplit's sections)
    sig = inspect.signature(function)
    wrapper.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(name=own.get(p.name, p.name)) for p in sig.parameters.values()]
    )
    shown = ", ".join(f"``{t}`` (``{o}``)" for t, o in names.items())
    head, _, rest = inspect.cleandoc(function.__doc__ or "").partition("\n\n")  # (before any section)
    wrapper.__doc__ = f"{head}\n\ntorch's keyword names are taken too: {shown}.\n\n{rest}".rstrip() + "\n"
    return wrapper


def install(namespace: dict[str, Any]) -> None:
    """Wrap the functions of ``namespace`` named in :data:`TORCH_NAMES`, and its ``Tensor``'s methods
    named in :data:`METHOD_NAMES` (see :func:`with_torch_names`)."""
    for name, names in TORCH_NAMES.items():
        if callable(namespace.get(name)):
            namespace[name] = with_torch_names(namespace[name], name, names)
    tensor = namespace["Tensor"]
    for name, names in METHOD_NAMES.items():
        setattr(tensor, name, with_torch_names(getattr(tensor, name), name, names))
