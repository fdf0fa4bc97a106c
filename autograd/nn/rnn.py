r"""Recurrent layers, as in torch.nn: ``RNN``, ``LSTM``, ``GRU`` and the cells ``RNNCell``,
``LSTMCell``, ``GRUCell``.

Every step is composed of the engine's differentiable Tensor operations (``linear``, slicing,
``sigmoid``, ``tanh``, ``relu``, products and sums; ``stack``/``cat`` to gather the steps), so
first and higher derivatives and :func:`autograd.compile` work with no rule of their own. The
formulas, the parameter names, shapes and order, the state-dict keys, the initialisation and the
reprs are torch's, so weights load both ways. The layers also take a
:class:`~autograd.nn.utils.rnn.PackedSequence` (``nn.utils.rnn.pack_padded_sequence``) and run each
sequence for its own length, as torch's.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._tensor import Tensor, cat, stack
from ..factories import _cpu, zeros
from ..random_state import fill_uniform, generator
from ..value import Value
from ..value_array import ValueArray
from . import functional as F
from .meta import stacklevel as _stacklevel
from .module import Module, _float_or_none
from .parameter import Parameter
from .utils.rnn import PackedSequence

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# -- the steps, one time step of a batch: ``xw`` is the input's projection x @ W_ih^T + b_ih,
#    computed for the whole sequence at once (as torch does on the CPU)


def _rnn_step(xw: Tensor, h: Tensor, w_hh: Tensor, b_hh: Any, nonlinearity: str) -> Tensor:
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu)."""
    pre = F.linear(h, w_hh, b_hh) + xw
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def _lstm_step(
    xw: Tensor, h: Tensor, c: Tensor, w_hh: Tensor, b_hh: Any, w_hr: Any, hidden: int
) -> tuple[Tensor, Tensor]:
    """Gates i, f, g, o (torch's order); c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c') (then h' W_hr^T)."""
    gates = F.linear(h, w_hh, b_hh) + xw
    i = gates[..., 0:hidden].sigmoid()
    f = gates[..., hidden : 2 * hidden].sigmoid()
    g = gates[..., 2 * hidden : 3 * hidden].tanh()
    o = gates[..., 3 * hidden :].sigmoid()
    c = f * c + i * g
    h = o * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr)), c


def _gru_step(xw: Tensor, h: Tensor, w_hh: Tensor, b_hh: Any, hidden: int) -> Tensor:
    """Gates r, z, n (torch's order): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
    h' = (h - n) ⊙ z + n, i.e. (1 - z) ⊙ n + z ⊙ h."""
    hw = F.linear(h, w_hh, b_hh)
    r = (hw[..., 0:hidden] + xw[..., 0:hidden]).sigmoid()
    z = (hw[..., hidden : 2 * hidden] + xw[..., hidden : 2 * hidden]).sigmoid()
    n = (xw[..., 2 * hidden :] + r * hw[..., 2 * hidden :]).tanh()
    return (h - n) * z + n


# -- argument checks


def _int_size(where: str, name: str, n: Any) -> int:
    """A positive int, or torch's TypeError (not an int) or ValueError (not positive)."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{where}: {name} should be of type int, got: {type(n).__name__} {n!r}")
    if n <= 0:
        raise ValueError(f"{where}: {name} must be greater than zero, got {n}")
    return int(n)


def _flag(where: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where}: {name} should be of type bool, got: {type(value).__name__} {value!r}")
    return bool(value)


def _nonlinearity(where: str, nonlinearity: Any) -> str:
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"{where}: Unknown nonlinearity {nonlinearity!r}. Select from 'tanh' or 'relu'.")
    return nonlinearity


def _parameter(shape: tuple[int, ...], dtype: Any, where: str) -> Parameter:
    t = zeros(*shape, dtype=dtype)
    if _float_or_none(t.dtype) is None:
        raise TypeError(f"{where}: dtype must be float32 or float64, got {t.dtype}")
    return Parameter(t)


def _tensor(where: str, name: str, x: Any, dtype: np.dtype) -> Tensor:
    """``x`` as a Tensor of the weights' dtype, or an error naming ``name``."""
    if isinstance(x, (Value, ValueArray)):
        raise TypeError(f"{where}: {name} must be a Tensor (or an array), got a {type(x).__name__}")
    if not isinstance(x, Tensor):
        try:
            x = Tensor(x)
        except (TypeError, ValueError) as e:
            raise TypeError(
                f"{where}: {name} must be a Tensor or an array of numbers, got {type(x).__name__}"
            ) from e
    if x.dtype != dtype:
        torch_name = {np.dtype(np.float32): "float32", np.dtype(np.float64): "float64"}
        want = torch_name.get(np.dtype(dtype), str(dtype))
        got = torch_name.get(np.dtype(x.dtype), str(x.dtype))
        raise ValueError(
            f"{where}: {name} dtype ({got}) does not match weight dtype ({want}). Convert {name}: "
            f"{name}.to(autograd.{want}), or convert the model: model.to(autograd.{got})"
        )
    return x


def _shape(t: Tensor) -> tuple[int, ...]:
    return tuple(int(n) for n in t.shape)


class RNNBase(Module):
    r"""The layers ``RNN``, ``LSTM`` and ``GRU`` share this: their parameters, checks and loop over
    layers, directions and time steps (``torch.nn.RNNBase``).

    For each layer ``k`` and direction (the reverse one suffixed ``_reverse``) it holds
    ``weight_ih_l{k}`` of shape ``(gates * hidden_size, input size of the layer)``,
    ``weight_hh_l{k}`` of shape ``(gates * hidden_size, hidden_size)`` (``proj_size`` columns with
    a projection), ``bias_ih_l{k}`` and ``bias_hh_l{k}`` of shape ``(gates * hidden_size,)`` and,
    for an LSTM with ``proj_size > 0``, ``weight_hr_l{k}`` of shape ``(proj_size, hidden_size)``,
    in torch's order; every one is drawn from :math:`U(-1/\sqrt{\text{hidden\_size}},
    1/\sqrt{\text{hidden\_size}})` by the library's generator (see :func:`~autograd.manual_seed`).

    Parameters
    ----------
    mode : {"LSTM", "GRU", "RNN_TANH", "RNN_RELU"}
        The kind of layer.
    input_size : int
        The number of features of each input step, :math:`H_{in}`.
    hidden_size : int
        The number of features of the hidden state, :math:`H`.
    num_layers : int
        The number of stacked layers, each reading the previous one's output (default 1).
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    batch_first : bool
        Inputs and outputs are ``(batch, seq, feature)`` instead of ``(seq, batch, feature)``
        (default False); the hidden states keep their layout.
    dropout : float
        In training mode, dropout of this probability on the output of every layer but the last
        (default 0).
    bidirectional : bool
        Also run each layer from the last step to the first, and concatenate (default False).
    proj_size : int
        LSTM only: project the hidden state to this size (default 0: no projection).
    device : str, optional
        Accepted when it names the CPU (the only device here).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype, float64 unless changed).

    Raises
    ------
    TypeError
        If a size is not an int, or ``bias``, ``batch_first`` or ``bidirectional`` not a bool.
    ValueError
        If a size is not positive, ``dropout`` not in [0, 1], ``proj_size`` negative or not below
        ``hidden_size``, or ``mode`` unknown.
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        where = type(self).__name__
        _cpu(where, device)
        if mode not in _GATES:
            raise ValueError(f"{where}: Unrecognized RNN mode {mode!r}: expected one of {list(_GATES)}")
        if (
            isinstance(dropout, (bool, np.bool_))
            or not isinstance(dropout, (int, float, np.integer, np.floating))
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                f"{where}: dropout should be a number in range [0, 1] representing the probability of "
                f"an element being zeroed, got {dropout!r}"
            )
        self.mode = mode
        self.input_size = _int_size(where, "input_size", input_size)
        self.hidden_size = _int_size(where, "hidden_size", hidden_size)
        self.num_layers = _int_size(where, "num_layers", num_layers)
        self.bias = _flag(where, "bias", bias)
        self.batch_first = _flag(where, "batch_first", batch_first)
        self.dropout = float(dropout)
        self.bidirectional = _flag(where, "bidirectional", bidirectional)
        if isinstance(proj_size, (bool, np.bool_)) or not isinstance(proj_size, (int, np.integer)):
            raise TypeError(f"{where}: proj_size should be of type int, got: {type(proj_size).__name__}")
        if proj_size < 0:
            raise ValueError(
                f"{where}: proj_size should be a positive integer or zero to disable projections, "
                f"got {proj_size}"
            )
        if proj_size >= hidden_size:
            raise ValueError(
                f"{where}: proj_size has to be smaller than hidden_size, got proj_size={proj_size} "
                f"and hidden_size={hidden_size}"
            )
        self.proj_size = int(proj_size)
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                stacklevel=_stacklevel(3),  # (past the meta device's wrappers of __init__)
            )
        gates = _GATES[mode] * self.hidden_size
        real_hidden = self.proj_size or self.hidden_size
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(self.num_layers):
            for direction in range(2 if self.bidirectional else 1):
                layer_input = (
                    self.input_size if layer == 0 else real_hidden * (2 if self.bidirectional else 1)
                )
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = {
                    f"weight_ih{suffix}": (gates, layer_input),
                    f"weight_hh{suffix}": (gates, real_hidden),
                }
                if self.bias:
                    shapes.update({f"bias_ih{suffix}": (gates,), f"bias_hh{suffix}": (gates,)})
                if self.proj_size:
                    shapes[f"weight_hr{suffix}"] = (self.proj_size, self.hidden_size)
                for name, shape in shapes.items():
                    setattr(self, name, _parameter(shape, dtype, where))
                self._flat_weights_names.extend(shapes)
                self._all_weights.append(list(shapes))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every parameter again from U(-1/√hidden_size, 1/√hidden_size), in place."""
        rng = generator(None, type(self).__name__)
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            fill_uniform(rng, p.data, -bound, bound)

    def flatten_parameters(self) -> None:
        """Does nothing (torch's is for cuDNN on a GPU)."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters, one list per layer and direction (torch's ``all_weights``)."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # -- the computation

    def _where(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def _states(self, hx: Any, dtype: np.dtype, batched: bool, batch: int) -> list[Tensor | None]:
        """The initial states as 3-d Tensors (h_0, and c_0 for an LSTM), checked; None: zeros."""
        where, lstm = self._where(), self.mode == "LSTM"
        names = ("h_0", "c_0") if lstm else ("h_0",)
        if hx is None:
            return [None] * len(names)
        if lstm:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                got = f"a {type(hx).__name__}" + (f" of {len(hx)}" if isinstance(hx, (tuple, list)) else "")
                raise TypeError(f"{where}: hx must be a tuple (h_0, c_0) of two Tensors, got {got}")
            hx = list(hx)
        else:
            hx = [hx]
        layers = self.num_layers * (2 if self.bidirectional else 1)
        sizes = (self.proj_size or self.hidden_size, self.hidden_size)
        states = []
        for name, h, size in zip(names, hx, sizes):
            h = _tensor(where, name, h, dtype)
            want = (layers, batch, size) if batched else (layers, size)
            if h.ndim != len(want):
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(
                    f"{where}: for {kind} input, {name} should also be {len(want)}-D of shape {want} "
                    f"(num_layers * num_directions, {'batch, ' if batched else ''}hidden size), but got a "
                    f"{h.ndim}-D tensor of shape {_shape(h)}"
                )
            if _shape(h) != want:
                last = "proj_size" if size == self.proj_size else "hidden_size"
                raise RuntimeError(
                    f"{where}: Expected {name} of size {want} (num_layers * num_directions, "
                    f"{'batch, ' if batched else ''}{last}), got {list(_shape(h))}"
                )
            states.append(h if batched else h.unsqueeze(1))
        return states

    def forward(self, input: Any, hx: Any = None) -> tuple[Any, Any]:
        """Run the layers over a sequence: ``(output, h_n)``, for an LSTM ``(output, (h_n, c_n))``.

        Parameters
        ----------
        input : Tensor or PackedSequence
            ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, or unbatched ``(L, H_in)``; or
            a :class:`~autograd.nn.utils.rnn.PackedSequence` of sequences of different lengths
            (``batch_first`` does not apply), each run for its own length only.
        hx : Tensor or tuple of Tensor, optional
            The initial hidden state ``h_0``, shape ``(D * num_layers, N, H_out)`` (unbatched:
            ``(D * num_layers, H_out)``), D being 2 if bidirectional else 1 and H_out ``proj_size``
            or ``hidden_size``; for an LSTM the pair ``(h_0, c_0)``, ``c_0`` ending in
            ``hidden_size``. Default: zeros.

        Returns
        -------
        tuple
            ``output``, shape ``(L, N, D * H_out)`` (``batch_first``: ``(N, L, D * H_out)``;
            unbatched ``(L, D * H_out)``), the last layer's hidden state at every step; and ``h_n``
            (or ``(h_n, c_n)``), shaped as ``h_0`` (and ``c_0``), the final states of every layer
            and direction. For a PackedSequence input, ``output`` is a PackedSequence of the same
            batch sizes and order, and ``h_n`` holds each sequence's state at its own last step (the
            reverse direction's at its first), in the batch's original order.
        """
        where = self._where()
        weight = getattr(self, self._flat_weights_names[0])
        if isinstance(input, PackedSequence):
            return self._packed(input, hx, weight.dtype)
        x = _tensor(where, "input", input, weight.dtype)
        if x.ndim not in (2, 3):
            raise ValueError(
                f"{where}: Expected input to be 2D (unbatched: seq, feature) or 3D (batched), got "
                f"{x.ndim}D of shape {_shape(x)} instead"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{where}: input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                f"{x.shape[-1]} (input of shape {_shape(x)})"
            )
        batched = x.ndim == 3
        if not batched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        length, batch = int(x.shape[0]), int(x.shape[1])
        if length == 0:
            raise RuntimeError(
                f"{where}: Expected sequence length to be larger than 0 in RNN, got an input of length 0"
            )
        states = self._states(hx, x.dtype, batched, batch)
        output, finals = self._layers(x, states)
        if not batched:
            output = output.squeeze(1)
            finals = [f.squeeze(1) for f in finals]
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, (tuple(finals) if self.mode == "LSTM" else finals[0])

    def _packed(self, packed: PackedSequence, hx: Any, dtype: np.dtype) -> tuple[PackedSequence, Any]:
        """``forward`` on a PackedSequence: the initial states put into the sorted order, the layers
        run on the packed steps, the final states put back into the original order (as torch)."""
        where = self._where()
        x = _tensor(where, "input.data", packed.data, dtype)
        if x.ndim != 2:
            raise RuntimeError(
                f"{where}: a packed input's data must have 2 dimensions (sum of the lengths, input_size), "
                f"got {x.ndim} of shape {_shape(x)}"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{where}: input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                f"{x.shape[-1]} (packed data of shape {_shape(x)})"
            )
        batch_sizes = np.asarray(
            packed.batch_sizes.data if isinstance(packed.batch_sizes, Tensor) else packed.batch_sizes
        ).astype(np.int64)
        if (
            batch_sizes.ndim != 1
            or batch_sizes.size == 0
            or batch_sizes[-1] <= 0
            or np.any(batch_sizes[1:] > batch_sizes[:-1])
            or int(batch_sizes.sum()) != int(x.shape[0])
        ):
            raise RuntimeError(
                f"{where}: input.batch_sizes {batch_sizes.tolist()} must be positive, never increase and "
                f"add up to the data's {int(x.shape[0])} rows (make packed inputs with pack_padded_sequence)"
            )
        sorted_indices, unsorted_indices = (
            None if i is None else np.asarray(i.data if isinstance(i, Tensor) else i).astype(np.int64)
            for i in (packed.sorted_indices, packed.unsorted_indices)
        )
        states = self._states(hx, x.dtype, True, int(batch_sizes[0]))
        if sorted_indices is not None:
            states = [None if s is None else s[:, sorted_indices] for s in states]
        data, finals = self._layers(x, states, batch_sizes)
        if unsorted_indices is not None:
            finals = [f[:, unsorted_indices] for f in finals]
        output = PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
        return output, (tuple(finals) if self.mode == "LSTM" else finals[0])

    def _layers(
        self, x: Tensor, states: list[Tensor | None], batch_sizes: np.ndarray | None = None
    ) -> tuple[Tensor, list[Tensor]]:
        """The stacked layers on ``(L, N, H_in)``, or on packed steps ``(sum of the lengths, H_in)``
        with their ``batch_sizes``: the last output and the stacked final states."""
        directions = 2 if self.bidirectional else 1
        batch = int(x.shape[1]) if batch_sizes is None else int(batch_sizes[0])
        real_hidden = self.proj_size or self.hidden_size
        finals: list[list[Tensor]] = [[] for _ in states]
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                init = [
                    zeros(batch, real_hidden if i == 0 else self.hidden_size, dtype=x.dtype)
                    if s is None
                    else s[k]
                    for i, s in enumerate(states)
                ]
                names = self._all_weights[k]
                params = {name.split("_l")[0]: getattr(self, name) for name in names}
                if batch_sizes is None:
                    out, last = self._direction(x, init, params, reverse=direction == 1)
                else:
                    out, last = self._packed_direction(x, init, params, batch_sizes, reverse=direction == 1)
                outputs.append(out)
                for f, s in zip(finals, last):
                    f.append(s)
            x = outputs[0] if directions == 1 else cat(outputs, -1)
            if layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, self.training)
        return x, [stack(f, 0) for f in finals]

    def _step(self, xw: Tensor, state: list[Tensor], params: dict[str, Any]) -> list[Tensor]:
        """One time step of one layer and direction: the new states (h, and c for an LSTM)."""
        w_hh, b_hh, hidden = params["weight_hh"], params.get("bias_hh"), self.hidden_size
        if self.mode == "LSTM":
            return list(_lstm_step(xw, state[0], state[1], w_hh, b_hh, params.get("weight_hr"), hidden))
        if self.mode == "GRU":
            return [_gru_step(xw, state[0], w_hh, b_hh, hidden)]
        return [_rnn_step(xw, state[0], w_hh, b_hh, "tanh" if self.mode == "RNN_TANH" else "relu")]

    def _direction(
        self, x: Tensor, init: list[Tensor], params: dict[str, Any], reverse: bool
    ) -> tuple[Tensor, list[Tensor]]:
        """One layer in one direction: its outputs ``(L, N, H_out)`` and final states."""
        xw = F.linear(x, params["weight_ih"], params.get("bias_ih"))
        steps = range(int(x.shape[0]) - 1, -1, -1) if reverse else range(int(x.shape[0]))
        outs: list[Tensor] = []
        state = init
        for t in steps:
            state = self._step(xw[t], state, params)
            outs.append(state[0])
        if reverse:
            outs.reverse()
        return stack(outs, 0), state

    def _packed_direction(
        self, x: Tensor, init: list[Tensor], params: dict[str, Any], batch_sizes: np.ndarray, reverse: bool
    ) -> tuple[Tensor, list[Tensor]]:
        """One layer in one direction on packed steps: step ``t`` runs the first ``batch_sizes[t]``
        sequences. Forward, a sequence's state is set aside at its last step (its final state);
        in reverse, it joins with its initial state at its last step. Returns the packed outputs
        ``(sum of the lengths, H_out)`` and the final states in the sorted order (torch's order of work)."""
        xw = F.linear(x, params["weight_ih"], params.get("bias_ih"))
        offsets = np.concatenate([[0], np.cumsum(batch_sizes)])
        steps = len(batch_sizes)
        outs: list[Any] = [None] * steps  # (each step's output, in time order)
        if not reverse:
            state, done, running = init, [], int(batch_sizes[0])
            for t in range(steps):
                n = int(batch_sizes[t])
                if n < running:  # sequences n .. running-1 ended at step t-1
                    done.append([s[n:running] for s in state])
                    state = [s[:n] for s in state]
                state = self._step(xw[int(offsets[t]) : int(offsets[t + 1])], state, params)
                outs[t], running = state[0], n
            finals = [
                cat([s, *(d[i] for d in reversed(done))], 0) if done else s for i, s in enumerate(state)
            ]
        else:
            running = int(batch_sizes[-1])
            state = [s[:running] if running < int(batch_sizes[0]) else s for s in init]
            for t in range(steps - 1, -1, -1):
                n = int(batch_sizes[t])
                if n > running:  # sequences running .. n-1 start here (at their last step)
                    state = [cat([s, i[running:n]], 0) for s, i in zip(state, init)]
                state = self._step(xw[int(offsets[t]) : int(offsets[t + 1])], state, params)
                outs[t], running = state[0], n
            finals = state
        return cat(outs, 0), finals


class RNN(RNNBase):
    r"""An Elman recurrent layer (``torch.nn.RNN``): for each step :math:`t`,

    .. math::

        h_t = \tanh(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh})

    (``relu`` instead of ``tanh`` with ``nonlinearity='relu'``), stacked ``num_layers`` deep,
    optionally in both directions. Parameters, their names, shapes, order and initialisation are
    torch's (see :class:`RNNBase`); ``rnn(input, h_0)`` returns ``(output, h_n)``, shaped as torch's
    (see :meth:`RNNBase.forward`).

    Parameters
    ----------
    input_size : int
        The number of features of each input step.
    hidden_size : int
        The number of features of the hidden state.
    num_layers : int
        The number of stacked layers (default 1).
    nonlinearity : {"tanh", "relu"}
        The activation (default "tanh").
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    batch_first : bool
        Inputs and outputs are ``(batch, seq, feature)`` (default False).
    dropout : float
        Dropout on every layer's output but the last's, in training mode (default 0).
    bidirectional : bool
        Run each layer both ways and concatenate (default False).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    **kwargs
        Taken only to refuse ``proj_size`` with torch's ValueError (LSTM alone projects); any other
        keyword is a TypeError.

    Raises
    ------
    ValueError
        If ``nonlinearity`` is neither "tanh" nor "relu", if ``proj_size`` is given, or as
        :class:`RNNBase`.
    TypeError
        As :class:`RNNBase`.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd import nn
    >>> rnn = nn.RNN(3, 5, num_layers=2)
    >>> output, h_n = rnn(ag.randn(7, 4, 3))
    >>> output.shape, h_n.shape
    ((7, 4, 5), (2, 4, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        if "proj_size" in kwargs:
            raise ValueError("RNN: proj_size argument is only supported for LSTM, not RNN or GRU")
        if kwargs:
            raise TypeError(f"RNN.__init__() got an unexpected keyword argument {next(iter(kwargs))!r}")
        self.nonlinearity = _nonlinearity("RNN", nonlinearity)
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(
            mode,
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            0,
            device,
            dtype,
        )


class LSTM(RNNBase):
    r"""A long short-term memory layer (``torch.nn.LSTM``): for each step :math:`t`,

    .. math::

        \begin{aligned}
        i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
        f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
        g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
        o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
        c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
        h_t &= o_t \odot \tanh(c_t)
        \end{aligned}

    with the gates stacked in ``weight_ih_l{k}`` and ``weight_hh_l{k}`` in torch's order i, f, g,
    o; with ``proj_size > 0``, :math:`h_t` is then multiplied by ``weight_hr_l{k}``:
    :math:`h_t \leftarrow h_t W_{hr}^\top`. ``lstm(input, (h_0, c_0))`` returns
    ``(output, (h_n, c_n))``, shaped as torch's (see :meth:`RNNBase.forward`).

    Parameters
    ----------
    input_size : int
        The number of features of each input step.
    hidden_size : int
        The number of features of the hidden and cell states.
    num_layers : int
        The number of stacked layers (default 1).
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    batch_first : bool
        Inputs and outputs are ``(batch, seq, feature)`` (default False).
    dropout : float
        Dropout on every layer's output but the last's, in training mode (default 0).
    bidirectional : bool
        Run each layer both ways and concatenate (default False).
    proj_size : int
        Project the hidden state to this size, below ``hidden_size`` (default 0: no projection).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError or ValueError
        As :class:`RNNBase`.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd import nn
    >>> lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)
    >>> lstm
    LSTM(10, 20, num_layers=2, batch_first=True)
    >>> output, (h_n, c_n) = lstm(ag.randn(3, 5, 10))
    >>> output.shape, h_n.shape, c_n.shape
    ((3, 5, 20), (2, 3, 20), (2, 3, 20))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            "LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            proj_size, device, dtype,
        )  # fmt: skip


class GRU(RNNBase):
    r"""A gated recurrent unit layer (``torch.nn.GRU``): for each step :math:`t`,

    .. math::

        \begin{aligned}
        r_t &= \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \\
        z_t &= \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \\
        n_t &= \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})) \\
        h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
        \end{aligned}

    with the gates stacked in torch's order r, z, n. ``gru(input, h_0)`` returns
    ``(output, h_n)``, shaped as torch's (see :meth:`RNNBase.forward`).

    Parameters
    ----------
    input_size : int
        The number of features of each input step.
    hidden_size : int
        The number of features of the hidden state.
    num_layers : int
        The number of stacked layers (default 1).
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    batch_first : bool
        Inputs and outputs are ``(batch, seq, feature)`` (default False).
    dropout : float
        Dropout on every layer's output but the last's, in training mode (default 0).
    bidirectional : bool
        Run each layer both ways and concatenate (default False).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    **kwargs
        Taken only to refuse ``proj_size`` with torch's ValueError (LSTM alone projects); any other
        keyword is a TypeError.

    Raises
    ------
    ValueError
        If ``proj_size`` is given, or as :class:`RNNBase`.
    TypeError
        As :class:`RNNBase`.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        if "proj_size" in kwargs:
            raise ValueError("GRU: proj_size argument is only supported for LSTM, not RNN or GRU")
        if kwargs:
            raise TypeError(f"GRU.__init__() got an unexpected keyword argument {next(iter(kwargs))!r}")
        super().__init__(
            "GRU",
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            0,
            device,
            dtype,
        )


# -- the cells: one step


class RNNCellBase(Module):
    r"""The cells ``RNNCell``, ``LSTMCell`` and ``GRUCell`` share this (``torch.nn.RNNCellBase``):
    ``weight_ih`` of shape ``(num_chunks * hidden_size, input_size)``, ``weight_hh`` of shape
    ``(num_chunks * hidden_size, hidden_size)``, ``bias_ih`` and ``bias_hh`` of shape
    ``(num_chunks * hidden_size,)`` (None without bias), drawn from
    :math:`U(-1/\sqrt{\text{hidden\_size}}, 1/\sqrt{\text{hidden\_size}})` by the library's generator.

    Parameters
    ----------
    input_size : int
        The number of input features.
    hidden_size : int
        The number of features of the hidden state.
    bias : bool
        Use ``bias_ih`` and ``bias_hh``.
    num_chunks : int
        The number of gates: 1 (RNNCell), 4 (LSTMCell) or 3 (GRUCell).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError
        If a size is not an int, or ``bias`` not a bool.
    ValueError
        If a size is not positive.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        where = type(self).__name__
        _cpu(where, device)
        self.input_size = _int_size(where, "input_size", input_size)
        self.hidden_size = _int_size(where, "hidden_size", hidden_size)
        self.bias = _flag(where, "bias", bias)
        gates = _int_size(where, "num_chunks", num_chunks) * self.hidden_size
        self.weight_ih = _parameter((gates, self.input_size), dtype, where)
        self.weight_hh = _parameter((gates, self.hidden_size), dtype, where)
        self.bias_ih = _parameter((gates,), dtype, where) if bias else None
        self.bias_hh = _parameter((gates,), dtype, where) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every parameter again from U(-1/√hidden_size, 1/√hidden_size), in place."""
        rng = generator(None, type(self).__name__)
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            fill_uniform(rng, p.data, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _where(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def _inputs(self, input: Any, hx: Any, names: tuple[str, ...]) -> tuple[Tensor, list[Tensor], bool]:
        """``input`` as ``(N, H_in)`` and the states as ``(N, H)`` (zeros when ``hx`` is None),
        checked; and whether the input was batched."""
        where = self._where()
        x = _tensor(where, "input", input, self.weight_ih.dtype)
        if x.ndim not in (1, 2):
            raise ValueError(
                f"{where}: Expected input to be 1D (unbatched) or 2D (batch, input_size), got {x.ndim}D "
                f"of shape {_shape(x)} instead"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{where}: input has inconsistent input_size: got {x.shape[-1]} expected {self.input_size} "
                f"(input of shape {_shape(x)})"
            )
        batched = x.ndim == 2
        if not batched:
            x = x.unsqueeze(0)
        batch = int(x.shape[0])
        if hx is None:
            return x, [zeros(batch, self.hidden_size, dtype=x.dtype) for _ in names], batched
        if len(names) == 2:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                got = f"a {type(hx).__name__}" + (f" of {len(hx)}" if isinstance(hx, (tuple, list)) else "")
                raise TypeError(f"{where}: hx must be a tuple (h_0, c_0) of two Tensors, got {got}")
        else:
            hx = [hx]
        want = (batch, self.hidden_size) if batched else (self.hidden_size,)
        states = []
        for name, h in zip(names, hx):
            h = _tensor(where, name, h, x.dtype)
            if _shape(h) != want:
                kind = "(batch, hidden_size)" if batched else "(hidden_size,) for an unbatched input"
                raise RuntimeError(f"{where}: expected {name} of shape {want} {kind}, got {_shape(h)}")
            states.append(h if batched else h.unsqueeze(0))
        return x, states, batched


class RNNCell(RNNCellBase):
    r"""One step of an Elman RNN (``torch.nn.RNNCell``):
    :math:`h' = \tanh(x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh})` (or ``relu``).

    ``cell(input, h)`` takes ``input`` of shape ``(N, input_size)`` or ``(input_size,)`` and ``h``
    of shape ``(N, hidden_size)`` or ``(hidden_size,)`` (default zeros) and returns ``h'`` of
    ``h``'s shape. Parameters as :class:`RNNCellBase`.

    Parameters
    ----------
    input_size : int
        The number of input features.
    hidden_size : int
        The number of features of the hidden state.
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    nonlinearity : {"tanh", "relu"}
        The activation (default "tanh").
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    ValueError
        If ``nonlinearity`` is neither "tanh" nor "relu", or as :class:`RNNCellBase`.
    TypeError
        As :class:`RNNCellBase`.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        nonlinearity = _nonlinearity("RNNCell", nonlinearity)
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        """The next hidden state (see the class docstring for the shapes).

        Parameters
        ----------
        input : Tensor
            ``(N, input_size)`` or ``(input_size,)``.
        hx : Tensor, optional
            ``(N, hidden_size)`` or ``(hidden_size,)``; default zeros.
        """
        x, (h,), batched = self._inputs(input, hx, ("hx",))
        h = _rnn_step(
            F.linear(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh, self.nonlinearity
        )
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    r"""One step of an LSTM (``torch.nn.LSTMCell``), the gates in torch's order i, f, g, o:
    :math:`c' = f \odot c + i \odot g`, :math:`h' = o \odot \tanh(c')` (see :class:`LSTM`).

    ``cell(input, (h, c))`` takes ``input`` of shape ``(N, input_size)`` or ``(input_size,)`` and
    the states of shape ``(N, hidden_size)`` or ``(hidden_size,)`` (default zeros) and returns
    ``(h', c')``. Parameters as :class:`RNNCellBase`.

    Parameters
    ----------
    input_size : int
        The number of input features.
    hidden_size : int
        The number of features of the hidden and cell states.
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError or ValueError
        As :class:`RNNCellBase`.
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        """The next ``(h, c)`` (see the class docstring for the shapes).

        Parameters
        ----------
        input : Tensor
            ``(N, input_size)`` or ``(input_size,)``.
        hx : tuple of Tensor, optional
            ``(h, c)``, each ``(N, hidden_size)`` or ``(hidden_size,)``; default zeros.
        """
        x, (h, c), batched = self._inputs(input, hx, ("h_0", "c_0"))
        xw = F.linear(x, self.weight_ih, self.bias_ih)
        h, c = _lstm_step(xw, h, c, self.weight_hh, self.bias_hh, None, self.hidden_size)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    r"""One step of a GRU (``torch.nn.GRUCell``), the gates in torch's order r, z, n:
    :math:`n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}))`,
    :math:`h' = (1 - z) \odot n + z \odot h` (see :class:`GRU`).

    ``cell(input, h)`` takes ``input`` of shape ``(N, input_size)`` or ``(input_size,)`` and ``h``
    of shape ``(N, hidden_size)`` or ``(hidden_size,)`` (default zeros) and returns ``h'``.
    Parameters as :class:`RNNCellBase`.

    Parameters
    ----------
    input_size : int
        The number of input features.
    hidden_size : int
        The number of features of the hidden state.
    bias : bool
        Use ``bias_ih`` and ``bias_hh`` (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError or ValueError
        As :class:`RNNCellBase`.
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        """The next hidden state (see the class docstring for the shapes).

        Parameters
        ----------
        input : Tensor
            ``(N, input_size)`` or ``(input_size,)``.
        hx : Tensor, optional
            ``(N, hidden_size)`` or ``(hidden_size,)``; default zeros.
        """
        x, (h,), batched = self._inputs(input, hx, ("hx",))
        h = _gru_step(
            F.linear(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh, self.hidden_size
        )
        return h if batched else h.squeeze(0)
