"""``torch.backends.cudnn``: there is no cuDNN here. Its flags (``deterministic``, ``benchmark``,
``enabled``) are plain module attributes, so reproducibility recipes that set them run; they change
nothing (every computation here is deterministic numpy on the CPU)."""

from __future__ import annotations

#: torch's flags, kept only to be read back
enabled = True
deterministic = False
benchmark = False


def is_available() -> bool:
    """Whether cuDNN can be used (``torch.backends.cudnn.is_available``).

    Returns
    -------
    bool
        False.
    """
    return False


__all__ = ["is_available"]
