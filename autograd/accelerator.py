"""``torch.accelerator``'s questions, answered for a library that runs on the CPU: no accelerator.
PyTorch's tutorials choose their device with
``torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"``,
which picks ``"cpu"`` here.
"""

from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """Whether an accelerator (CUDA, MPS, XPU, ...) can be used (``torch.accelerator.is_available``).

    Returns
    -------
    bool
        False: this library runs on numpy on the CPU.
    """
    return False


def current_accelerator(check_available: bool = False) -> Any:
    """The accelerator in use (``torch.accelerator.current_accelerator``): none.

    Parameters
    ----------
    check_available : bool
        torch's argument (only report an available accelerator); the answer is None either way.

    Returns
    -------
    None
        There is no accelerator.
    """
    return None


def device_count() -> int:
    """How many accelerator devices there are (``torch.accelerator.device_count``).

    Returns
    -------
    int
        0.
    """
    return 0


__all__ = ["is_available", "current_accelerator", "device_count"]
