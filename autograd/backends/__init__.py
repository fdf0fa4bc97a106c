"""``torch.backends``' switches where code written for PyTorch reads them: ``backends.mps`` says
Apple's GPU is not available, and ``backends.cudnn`` holds the flags reproducibility recipes set
(``torch.backends.cudnn.deterministic = True``), which change nothing here.
"""

from . import cudnn, mps

__all__ = ["mps", "cudnn"]
