"""``torch.autograd.graph``'s saved-tensor hooks (torch's "Hooks for saved tensors").

``saved_tensors_hooks``, ``save_on_cpu`` and ``disable_saved_tensors_hooks``; the engine's side is
``autograd/_packed.py``.

Inside ``with saved_tensors_hooks(pack_hook, unpack_hook):`` each recorded operation calls
``pack_hook`` once per tensor torch saves for its backward, in torch's order, and keeps what it
returns; the backward calls ``unpack_hook`` on it and computes with the tensor that returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .. import _packed


class saved_tensors_hooks:  # noqa: N801 (torch's name)
    """Context manager: a pair of hooks for the tensors the operations inside save for backward.

    ``pack_hook(tensor)`` is called at the forward, once per tensor an operation saves (an input is
    the tensor itself, an output the output itself); whatever it returns is kept instead.
    ``unpack_hook(packed)`` is called each time the saved tensor is needed (each backward pass
    through the node, each ``grad_fn._saved_*`` access) and must return a Tensor, which the backward
    uses: in general one equal to the saved tensor. Blocks nest: the innermost pair applies.

    Parameters
    ----------
    pack_hook : Callable
        ``pack_hook(tensor) -> Any``.
    unpack_hook : Callable
        ``unpack_hook(packed) -> Tensor``.

    Examples
    --------
    >>> import autograd as torch
    >>> a = torch.ones(2, requires_grad=True)
    >>> with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 4, lambda t: t / 4):
    ...     y = a * a
    >>> y.sum().backward()
    >>> a.grad.tolist()
    [2.0, 2.0]
    """

    def __init__(self, pack_hook: Callable[..., Any], unpack_hook: Callable[..., Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook
        self._tokens: list[Any] = []

    def __enter__(self) -> None:
        """Make the pair the innermost.

        Raises
        ------
        RuntimeError
            Inside :func:`disable_saved_tensors_hooks` (its message).
        TypeError
            A hook that is not callable.
        """
        self._tokens.append(_packed.push(self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc: object) -> None:
        _packed.pop(self._tokens.pop())


class save_on_cpu(saved_tensors_hooks):  # noqa: N801 (torch's name)
    """Context manager: saved tensors kept on the CPU (torch's ``save_on_cpu``, for GPU memory).

    Every tensor here is on the CPU, so, as torch's on a CPU tensor, packing keeps the tensor itself
    (``pin_memory=True``: a copy, as torch copies into pinned memory) and unpacking gives it back.

    Parameters
    ----------
    pin_memory : bool
        Copy the tensors on packing (torch: into pinned memory, copied back asynchronously).
    device_type : str
        torch's device module for pinning (``"cuda"``); no effect here.
    """

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack_to_cpu(tensor: Any) -> tuple[Any, Any]:
            if not pin_memory:
                return (tensor.device, tensor.cpu())
            return (tensor.device, tensor.detach().clone())

        def unpack_from_cpu(packed: tuple[Any, Any]) -> Any:
            device, tensor = packed
            return tensor.to(device)

        super().__init__(pack_to_cpu, unpack_from_cpu)


@contextmanager
def disable_saved_tensors_hooks(error_message: str) -> Iterator[None]:
    """Context manager in which saved-tensor hooks are refused: entering a :class:`saved_tensors_hooks`
    block inside it raises ``RuntimeError(error_message)``, and so does entering it inside one
    (torch's).

    Parameters
    ----------
    error_message : str
        The message of the RuntimeError.

    Raises
    ------
    RuntimeError
        Entered inside a :class:`saved_tensors_hooks` block.
    """
    token = _packed.disable(error_message)
    try:
        yield
    finally:
        _packed.DISABLED.reset(token)


__all__ = ["saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks"]
