"""Neural-network building blocks, named and laid out as in torch.nn.

On Tensors: ``Linear``, ``Identity``, ``Flatten``/``Unflatten``, ``Dropout`` (and ``Dropout1d``/``2d``/``3d``,
``AlphaDropout``, ``FeatureAlphaDropout``), ``LayerNorm``, ``GroupNorm``, ``RMSNorm``, ``LocalResponseNorm``,
``Embedding``, the convolutions (``Conv1d``/``2d``/``3d``, ``ConvTranspose1d``/``2d``/``3d``), the
pools (max, average, power-average and adaptive, 1-d to 3-d), ``BatchNorm1d``/``2d``/``3d``,
``InstanceNorm1d``/``2d``/``3d``, ``CosineSimilarity``,
``PairwiseDistance``, the recurrent layers (``RNN``, ``LSTM``,
``GRU`` and their cells ``RNNCell``, ``LSTMCell``, ``GRUCell``), ``MultiheadAttention`` and the
transformer layers (``TransformerEncoderLayer``, ``TransformerEncoder``, the decoder's, ``Transformer``),
``Bilinear``, ``Upsample``, ``PixelShuffle``/``PixelUnshuffle``, the activations
(``ReLU``, ``Tanh``, ``Sigmoid``, ``Softmax``, ``LogSoftmax``, ``LeakyReLU``, ``RReLU``, ``ELU``, ``GELU``,
``SiLU``, ``Softplus``, ``ReLU6``, ``Hardtanh``, ``SELU``, ``CELU``, ``Mish``, ``Hardswish``,
``Hardsigmoid``, ``LogSigmoid``, ``Softsign``, ``Tanhshrink``, ``Threshold``, ``Softmin``, ``GLU``), the
containers ``Sequential``, ``ModuleList``, ``ModuleDict``, ``ParameterList``, ``ParameterDict``, the loss
modules (``MSELoss``, ``CrossEntropyLoss``, ...), ``Parameter``, and ``TensorMLP``. On Values:
micrograd's ``Neuron``, ``Layer`` and ``MLP``. ``functional`` (``import autograd.nn.functional as
F``), ``init`` and ``utils`` (gradient clipping) are torch's modules of the same names. A
Module written the torch way registers its parameters and submodules by attribute assignment;
every module has ``parameters()``, ``named_parameters()``, ``zero_grad()``, ``train()``/``eval()``,
``state_dict()`` and ``load_state_dict()``, with torch's keys.

The loss modules call the ``losses`` package only when first used, so ``import autograd`` does not
import it.
"""

from ..torch_hints import missing as _missing
from . import functional, init, modules, utils
from .activation import (
    CELU,
    ELU,
    GELU,
    GLU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU,
    ReLU6,
    RReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
    Softsign,
    Tanh,
    Tanhshrink,
    Threshold,
)
from .attention import MultiheadAttention
from .batchnorm import BatchNorm1d, BatchNorm2d
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import Conv1d, Conv2d
from .conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .flatten import Flatten, Unflatten
from .instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MarginRankingLoss,
    MSELoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    NLLLoss,
    PoissonNLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
    TripletMarginLoss,
)
from .module import IncompatibleKeys, Module
from .normalization import GroupNorm, LayerNorm, LocalResponseNorm, RMSNorm
from .parameter import Parameter
from .pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    LPPool1d,
    LPPool2d,
    LPPool3d,
    MaxPool1d,
    MaxPool2d,
)
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .scalar import MLP, Layer, Neuron
from .sparse import Embedding
from .tensor import Bilinear, Identity, Linear, TensorMLP
from .transformer import (
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from .unpool import MaxUnpool1d, MaxUnpool2d, MaxUnpool3d
from .upsampling import PixelShuffle, PixelUnshuffle, Upsample
from .volumes import AdaptiveAvgPool3d, AdaptiveMaxPool3d, AvgPool3d, BatchNorm3d, Conv3d, MaxPool3d

__all__ = [
    "Module",
    "Parameter",
    "IncompatibleKeys",
    "Neuron",
    "Layer",
    "MLP",
    "Linear",
    "Identity",
    "Bilinear",
    "TensorMLP",
    "Sequential",
    "ModuleList",
    "ModuleDict",
    "ParameterList",
    "ParameterDict",
    "Flatten",
    "Unflatten",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "AlphaDropout",
    "FeatureAlphaDropout",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    "LayerNorm",
    "GroupNorm",
    "RMSNorm",
    "LocalResponseNorm",
    "Embedding",
    "CosineSimilarity",
    "PairwiseDistance",
    "RNNBase",
    "RNN",
    "LSTM",
    "GRU",
    "RNNCellBase",
    "RNNCell",
    "LSTMCell",
    "GRUCell",
    "ReLU",
    "Tanh",
    "Sigmoid",
    "Softmax",
    "LogSoftmax",
    "LeakyReLU",
    "RReLU",
    "ELU",
    "GELU",
    "SiLU",
    "Softplus",
    "ReLU6",
    "Hardtanh",
    "SELU",
    "CELU",
    "Mish",
    "Hardswish",
    "Hardsigmoid",
    "LogSigmoid",
    "Softsign",
    "Tanhshrink",
    "Threshold",
    "Softmin",
    "GLU",
    "MultiheadAttention",
    "TransformerEncoderLayer",
    "TransformerEncoder",
    "TransformerDecoderLayer",
    "TransformerDecoder",
    "Transformer",
    "Upsample",
    "PixelShuffle",
    "PixelUnshuffle",
    "MSELoss",
    "L1Loss",
    "HuberLoss",
    "SmoothL1Loss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "KLDivLoss",
    "CosineEmbeddingLoss",
    "MarginRankingLoss",
    "TripletMarginLoss",
    "HingeEmbeddingLoss",
    "SoftMarginLoss",
    "MultiMarginLoss",
    "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss",
    "GaussianNLLLoss",
    "PoissonNLLLoss",
    "functional",
    "init",
    "modules",
    "utils",
]


def __getattr__(name: str) -> object:
    """A torch.nn name this package lacks: an AttributeError that says what to write."""
    raise _missing("autograd.nn", name, globals())
