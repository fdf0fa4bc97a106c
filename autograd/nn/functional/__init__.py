"""``torch.nn.functional``'s names and signatures: ``import autograd.nn.functional as F``.

Activations are composed from the engine's operations (their gradients come from the chain rule),
and take a Tensor, a ValueArray or a Value (numbers and arrays become a constant Tensor). Every
loss is a thin wrapper over its one definition in the ``losses`` package, called with PyTorch's
``(input, target)`` order and arguments; ``losses`` itself takes the truth first. The ``losses``
package is loaded on the first loss call, from beside this package (see ``autograd/_siblings.py``),
so ``import autograd`` does not import it.

The functions live in one module per topic (``activations``, ``distances``, ``layers``, ``dropout``,
``normalization``, ``norms`` (group, instance, RMS and local response), ``conv``, ``conv_transpose``,
``pooling``, ``volumes`` (the 3-d convolution and pools), ``lp_pool``, ``fractional_pooling``, ``unpool``,
``attention``, ``vision``, ``losses``; the helpers they share in ``_common``) and are all used from here, as
``autograd.nn.functional.<name>``.

Known differences from torch: ``inplace=True`` writes into the input and returns it (its version
counted, a tensor computed from others recorded in the graph), as torch's, except while a compiled
step traces, where a tensor computed from others gets a new tensor (the dropouts' masks and numbers
are torch's after the same ``manual_seed``); a loss refuses input and target of different shapes
(torch broadcasts them with a warning).
"""

from __future__ import annotations

from ...torch_hints import missing as _missing
from .activations import (
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    mish,
    prelu,
    relu,
    relu6,
    relu_,
    rrelu,
    rrelu_,
    selu,
    selu_,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanh,
    tanhshrink,
    threshold,
    threshold_,
)
from .attention import scaled_dot_product_attention
from .conv import conv1d, conv2d, fold, unfold
from .conv_transpose import conv_transpose1d, conv_transpose2d, conv_transpose3d
from .distances import cosine_similarity, normalize, pairwise_distance, pdist
from .dropout import alpha_dropout, dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout
from .embedding_bag import embedding_bag
from .fractional_pooling import fractional_max_pool2d, fractional_max_pool3d
from .layers import bilinear, embedding, layer_norm, linear, one_hot, pad
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_embedding_loss,
    cross_entropy,
    ctc_loss,
    gaussian_nll_loss,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    l1_loss,
    margin_ranking_loss,
    mse_loss,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    nll_loss,
    poisson_nll_loss,
    smooth_l1_loss,
    soft_margin_loss,
    triplet_margin_loss,
    triplet_margin_with_distance_loss,
)
from .lp_pool import lp_pool1d, lp_pool2d, lp_pool3d
from .normalization import batch_norm
from .norms import group_norm, instance_norm, local_response_norm, rms_norm
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from .sampling import gumbel_softmax
from .unpool import max_unpool1d, max_unpool2d, max_unpool3d
from .vision import (
    channel_shuffle,
    interpolate,
    pixel_shuffle,
    pixel_unshuffle,
    upsample,
    upsample_bilinear,
    upsample_nearest,
)
from .volumes import adaptive_avg_pool3d, adaptive_max_pool3d, avg_pool3d, conv3d, max_pool3d

__all__ = [
    # activations
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "leaky_relu",
    "elu",
    "gelu",
    "silu",
    "softplus",
    "softmin",
    "logsigmoid",
    "hardtanh",
    "relu6",
    "hardsigmoid",
    "hardswish",
    "softsign",
    "tanhshrink",
    "mish",
    "threshold",
    "selu",
    "celu",
    "glu",
    "rrelu",
    "rrelu_",
    "relu_",
    "elu_",
    "leaky_relu_",
    "hardtanh_",
    "threshold_",
    "celu_",
    "selu_",
    "hardshrink",
    "softshrink",
    "prelu",
    "gumbel_softmax",
    # attention
    "scaled_dot_product_attention",
    # distances
    "normalize",
    "cosine_similarity",
    "pairwise_distance",
    "pdist",
    # layers
    "linear",
    "bilinear",
    # dropout
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "alpha_dropout",
    "feature_alpha_dropout",
    "one_hot",
    "pad",
    "layer_norm",
    "embedding",
    "embedding_bag",
    "batch_norm",
    "group_norm",
    "instance_norm",
    "rms_norm",
    "local_response_norm",
    # convolutions and pooling
    "unfold",
    "fold",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "fractional_max_pool2d",
    "fractional_max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    # resampling
    "interpolate",
    "pixel_shuffle",
    "pixel_unshuffle",
    "channel_shuffle",
    "upsample",
    "upsample_nearest",
    "upsample_bilinear",
    # losses
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "kl_div",
    "cosine_embedding_loss",
    "margin_ranking_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "ctc_loss",
    "gaussian_nll_loss",
    "poisson_nll_loss",
]


for _name in __all__:  # documented, printed and pickled as this module's, wherever defined
    globals()[_name].__module__ = __name__
del _name


def __getattr__(name: str) -> object:
    """A torch.nn.functional name this module lacks: an AttributeError that says what to write."""
    raise _missing("autograd.nn.functional", name, globals())
