from .mode import detect_anomaly, no_grad
from .tensor import Tensor, concatenate, maximum, minimum, stack, where
from .value import Value, zero_grad
__all__ = ["Value", "Tensor", "no_grad", "detect_anomaly", "zero_grad", "where", "concatenate", "stack", "maximum", "minimum"]
